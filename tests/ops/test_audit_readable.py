"""Issue 10 item 5: the audit log reads in the page's language: each action by the name
its domain registered (core/audit_labels.py), the actor's kind in words, and the change
field by field instead of raw JSON."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from miniport.core import audit_labels
from miniport.core.actors import Actor
from miniport.core.models import AuditEntry
from miniport.releases import services as release_services
from tests.releases.version_support import make_app, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged(provision, make_identity):
    app = make_app(provision, make_identity)
    dev = upload(app, "1.0.0")
    release_services.experience_set(
        actor=Actor.for_identity(app.admin), miniprogram=app.miniprogram, dev_version=dev
    )
    return app


def _audit_page(client, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/ops/audit/")
    assert response.status_code == 200
    return response.content.decode()


def test_every_action_the_platform_recorded_has_a_registered_name(logged):
    """Issue 10 item 5: no action falls back to "Other action"."""
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert actions
    unnamed = sorted(a for a in actions if a not in audit_labels.known_actions())
    assert unnamed == []


def test_the_audit_page_shows_action_names_not_codes(staff_client, logged):
    """Issue 10 item 5: 体验版已设置 / Experience version set, the code only as a tooltip."""
    zh = _audit_page(staff_client, "zh-hans")
    assert "体验版已设置" in zh
    assert "<code>code.experience_set</code>" not in zh
    assert 'title="code.experience_set"' in zh
    en = _audit_page(staff_client, "en")
    assert "Experience version set" in en


def test_the_audit_page_shows_the_change_field_by_field(staff_client, logged):
    """Issue 10 item 5: before and after as a readable diff, never a JSON object."""
    zh = _audit_page(staff_client, "zh-hans")
    assert 'data-testid="diff"' in zh
    assert not re.search(r'<code class="json">', zh)
    assert "{&quot;" not in zh and '{"' not in re.sub(r"<script.*?</script>", "", zh, flags=re.S)
    assert "系统" in zh or "用户身份" in zh  # the actor's kind in words
    assert "<dt>版本号</dt>" in zh  # user_version, by the name the registry gives it


def test_a_label_registered_twice_differently_fails():
    audit_labels.register({"tests.sample": "Sample"})
    audit_labels.register({"tests.sample": "Sample"})  # the same again is fine
    with pytest.raises(ValueError):
        audit_labels.register({"tests.sample": "Another"})


def test_changes_leave_out_what_did_not_change():
    rows = audit_labels.changes({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4})
    assert [(r.key, r.before, r.after) for r in rows] == [("b", 2, 3), ("c", None, 4)]
