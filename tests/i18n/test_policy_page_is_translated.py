"""B-11: the policy table of the ops desk shows each rule's description and unit in
Chinese. The rows live in core.policy in English; miniport/ops/policy_texts.py lists their
texts so that makemessages puts them into the ops catalog."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from miniport.core.policy import rules
from miniport.ops import policy_texts


@pytest.mark.parametrize("rule", rules(), ids=lambda rule: rule.key)
def test_every_policy_rule_has_a_chinese_description_and_unit(rule):
    """B-11: a new policy row adds its description and unit to ops/policy_texts.py and
    translates them in miniport/ops/locale."""
    assert rule.description in policy_texts.DESCRIPTIONS, "add it to ops/policy_texts.py"
    assert rule.unit in policy_texts.UNITS, "add it to ops/policy_texts.py"
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
