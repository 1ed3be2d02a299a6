"""PLG-9, B-9 in the plugin's console: the users tab lists the applications (status with
age, applicant, reason, categories), approves, refuses with a reason, deletes and
unbinds; the settings tab saves the approval policy; rights and 404s."""

from __future__ import annotations

from datetime import timedelta

import pytest

from miniport.core import clock
from miniport.plugins.models import ApprovalPolicy, PluginApplication, PluginApplicationStatus
from miniport.plugins.usage import services
from tests.console.plugin_support import browser
from tests.plugins import makers

pytestmark = pytest.mark.django_db
make_owner, make_plugin, released_plugin = (
    makers.make_owner,
    makers.make_plugin,
    makers.released_plugin,
)
S = PluginApplicationStatus


@pytest.fixture
def applied(released_plugin, make_owner):
    user = make_owner("personal")
    application = services.plugin_apply(
        actor=user.admin_actor,
        miniprogram=user.miniprogram,
        plugin=released_plugin.plugin,
        reason="想接入地图",
    )
    return released_plugin, user, application


def test_plg9_the_users_tab_lists_an_application_with_applicant_reason_and_categories(applied):
    owner, user, _ = applied
    html = browser(owner.admin, owner.appid).get("/plugin/users/").content.decode()
    assert user.appid in html and user.miniprogram.name in html and "想接入地图" in html
    # The applicant's approved category, in the page's language.
    assert "Tools › Information lookup" in html and "信息查询" not in html
    assert 'data-status="applying"' in html


def test_plg9_the_owner_approves(applied):
    owner, _, application = applied
    client = browser(owner.admin, owner.appid)
    assert client.post(f"/plugin/users/{application.pk}/agree/").status_code == 302
    application.refresh_from_db()
    assert application.status == S.APPROVED


def test_plg9_the_owner_refuses_with_a_reason_and_without_one_the_field_is_named(applied):
    owner, _, application = applied
    client = browser(owner.admin, owner.appid)
    empty = client.post(f"/plugin/users/{application.pk}/refuse/", {"reason": ""})
    assert empty.status_code == 400 and "This field is required." in empty.content.decode()
    application.refresh_from_db()
    assert application.status == S.APPLYING
    assert (
        client.post(f"/plugin/users/{application.pk}/refuse/", {"reason": "不适合"}).status_code
        == 302
    )
    application.refresh_from_db()
    assert (application.status, application.refuse_reason) == (S.REFUSED, "不适合")


def test_plg9_a_timed_out_application_shows_timed_out_cannot_be_approved_and_is_deleted(applied):
    owner, _, application = applied
    PluginApplication.objects.update(created_at=clock.now() - timedelta(hours=24, minutes=1))
    client = browser(owner.admin, owner.appid)
    html = client.get("/plugin/users/").content.decode()
    assert 'data-status="expired"' in html
    refused = client.post(f"/plugin/users/{application.pk}/agree/", follow=True)
    assert "Only an application still applying" in refused.content.decode()
    assert PluginApplication.objects.get().status == S.APPLYING
    assert client.post(f"/plugin/users/{application.pk}/delete/").status_code == 302
    assert not PluginApplication.objects.exists()


def test_plg9_the_owner_unbinds_an_approved_user(applied):
    owner, _, application = applied
    client = browser(owner.admin, owner.appid)
    client.post(f"/plugin/users/{application.pk}/agree/")
    assert client.post(f"/plugin/users/{application.pk}/unbind/").status_code == 302
    application.refresh_from_db()
    assert application.status == S.UNBOUND and application.ended_at is not None


def test_plg9_a_developer_sees_the_users_but_may_not_answer(applied):
    owner, _, application = applied
    client = browser(owner.developer, owner.appid)
    assert client.get("/plugin/users/").status_code == 200
    assert client.post(f"/plugin/users/{application.pk}/agree/").status_code == 403
    application.refresh_from_db()
    assert application.status == S.APPLYING


def test_plg9_an_application_of_another_plugin_is_404(applied, make_plugin):
    _, _, application = applied
    other = make_plugin()
    client = browser(other.admin, other.appid)
    assert client.post(f"/plugin/users/{application.pk}/agree/").status_code == 404


def test_plg9_a_mini_program_without_plugin_gets_404(make_owner):
    owner = make_owner()
    client = browser(owner.admin, owner.appid)
    assert client.get("/plugin/users/").status_code == 404
    assert client.get("/plugin/settings/").status_code == 404


def test_b9_the_settings_save_an_allowlist_policy(released_plugin, make_owner):
    listed = make_owner("personal")
    client = browser(released_plugin.admin, released_plugin.appid)
    assert client.get("/plugin/settings/").status_code == 200
    response = client.post(
        "/plugin/settings/save/",
        {"approval_policy": "allowlist", "allowlist": f"{listed.appid}\n"},
    )
    assert response.status_code == 302
    plugin = released_plugin.plugin
    plugin.refresh_from_db()
    assert plugin.approval_policy == ApprovalPolicy.ALLOWLIST and plugin.allowlist == [listed.appid]


def test_b9_a_bad_allowlist_appid_is_named_on_the_field_and_nothing_changes(released_plugin):
    client = browser(released_plugin.admin, released_plugin.appid)
    response = client.post(
        "/plugin/settings/save/", {"approval_policy": "allowlist", "allowlist": "not-an-appid"}
    )
    html = response.content.decode()
    assert response.status_code == 400 and "not-an-appid" in html
    released_plugin.plugin.refresh_from_db()
    assert released_plugin.plugin.approval_policy == ApprovalPolicy.MANUAL


def test_b9_a_developer_may_not_change_the_policy(released_plugin):
    client = browser(released_plugin.developer, released_plugin.appid)
    assert client.get("/plugin/settings/").status_code == 200
    response = client.post("/plugin/settings/save/", {"approval_policy": "auto"})
    assert response.status_code == 403
