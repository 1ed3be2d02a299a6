"""B-11: the policy table of the ops desk shows each rule's description and unit in
Chinese. Each domain writes its rows in English in its own `policy.py`, marked with
gettext_noop, and translates them in its own catalog; the desk lists no domain's words."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from miniport.core.policy import rules
from tests.i18n.catalogs import merged_translations


@pytest.mark.parametrize("rule", rules(), ids=lambda rule: rule.key)
def test_every_policy_rule_has_a_chinese_description_and_unit(rule):
    """B-11: a new policy row marks its description and unit with gettext_noop in its
    domain's policy.py and translates them in that domain's catalog."""
    translated = merged_translations()
    assert (None, rule.description) in translated, "translate it in the domain's catalog"
    assert (None, rule.unit) in translated, "translate it in the domain's catalog"
    with translation.override("zh-hans"):
        assert translation.gettext(rule.description) != rule.description
        assert translation.gettext(rule.unit) != rule.unit


@pytest.mark.django_db
def test_the_policy_page_shows_the_rules_in_the_chosen_language():
    """B-11: Chinese by default, English with the language cookie."""
    from miniport.accounts.models import Account, AccountKind

    staff = Account.objects.create_user(
        "i18n-operator@miniport.example",
        "a-long-password-1",
        is_staff=True,
        is_active=True,
        kind=AccountKind.STAFF,
    )
    client = Client()
    client.force_login(staff)
    html = client.get("/ops/policy/").content.decode()
    assert "密码最短长度" in html and "Minimum password length" not in html
    assert "个字符" in html

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/ops/policy/").content.decode()
    assert "Minimum password length" in html and "密码最短长度" not in html
