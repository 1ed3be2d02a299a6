"""The official-account console asks before its destructive actions (OA-1, OA-3): the
profile's "Reset the AppSecret" and the mini programs' "Unlink" / "Withdraw" are links to
a confirmation page naming the official account or the mini program and what happens; a
GET changes nothing, only the confirmation's own button (a POST to the same URL) acts.
The page after a reset says once that the previous AppSecret no longer works."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from miniport.core.models import AuditEntry
from miniport.links.official_accounts.models import OfficialAccount, OfficialAccountLink
from tests.links.linked_console import linked
from tests.links.official_accounts.support import confirm, request

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"console:{name}", args=args)


@pytest.fixture
def mp(provision):
    return provision("enterprise", name="关联测试小程序").miniprogram


def rows(oa) -> dict:
    """What a confirmation page must leave as it was."""
    return {
        "oa": list(OfficialAccount.objects.filter(pk=oa.pk).values()),
        "links": list(OfficialAccountLink.objects.order_by("pk").values()),
        "audit": AuditEntry.objects.count(),
    }


def test_the_profile_links_the_reset_to_its_confirmation(make_oa):
    oa = make_oa()
    html = linked(oa.admin_identity).get(url("official_account_profile", oa.appid))
    html = html.content.decode()
    reset = url("official_account_secret_reset", oa.appid)
    assert re.search(rf'<a class="btn danger" href="{reset}" data-testid="oa-secret-reset"', html)
    assert f'action="{reset}"' not in html


def test_the_reset_confirmation_names_the_account_and_resets_nothing(make_oa):
    oa = make_oa(name="示例公众号")
    client = linked(oa.admin_identity)
    before = rows(oa)
    response = client.get(url("official_account_secret_reset", oa.appid))
    assert response.status_code == 200
    html = response.content.decode()
    assert "The current AppSecret of 示例公众号 stops working at once" in html
    assert re.search(
        rf'href="{url("official_account_profile", oa.appid)}" data-testid="confirm-cancel"', html
    )
    assert rows(oa) == before

    done = client.post(url("official_account_secret_reset", oa.appid))
    assert done.url == url("official_account_secret_shown", oa.appid)
    assert OfficialAccount.objects.get(pk=oa.pk).secret_digest != before["oa"][0]["secret_digest"]


@pytest.mark.parametrize(
    ("language", "said"),
    [("en", "the previous AppSecret no longer works"), ("zh-hans", "原AppSecret已失效")],
)
def test_the_new_secret_page_says_once_that_the_old_one_ended(make_oa, language, said):
    oa = make_oa()
    client = linked(oa.admin_identity, language)
    client.post(url("official_account_secret_reset", oa.appid))
    html = client.get(url("official_account_secret_shown", oa.appid)).content.decode()
    assert 'data-testid="secret-value"' in html
    assert html.lower().count(said.lower()) == 1


def test_the_mini_programs_list_links_unlink_and_withdraw_to_the_confirmation(
    make_oa, mp, provision
):
    oa = make_oa()
    associated = confirm(request(oa, mp.appid))
    waiting = request(oa, provision("enterprise").miniprogram.appid)
    html = linked(oa.admin_identity).get(url("official_account_links", oa.appid)).content.decode()
    hrefs = re.findall(r'<a href="([^"]+)" data-testid="oa-unlink"', html)
    assert sorted(hrefs) == sorted(
        url("official_account_unlink", oa.appid, link.pk) for link in (associated, waiting)
    )
    assert 'action="' + url("official_account_unlink", oa.appid, associated.pk) not in html


def test_the_unlink_confirmation_names_the_mini_program_and_unlinks_nothing(make_oa, mp):
    oa = make_oa()
    link = confirm(request(oa, mp.appid))
    client = linked(oa.admin_identity)
    before = rows(oa)
    response = client.get(url("official_account_unlink", oa.appid, link.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Unlink the mini program" in html and mp.appid in html
    assert "关联测试小程序 is no longer associated with this official account" in html
    assert rows(oa) == before

    done = client.post(url("official_account_unlink", oa.appid, link.pk))
    assert done.url == url("official_account_links", oa.appid)
    link.refresh_from_db()
    assert link.status == 21  # LinkStatus.UNLINKED


def test_the_withdraw_confirmation_speaks_of_the_request(make_oa, mp):
    oa = make_oa()
    link = request(oa, mp.appid)
    client = linked(oa.admin_identity, "zh-hans")
    before = rows(oa)
    html = client.get(url("official_account_unlink", oa.appid, link.pk)).content.decode()
    assert "撤回申请" in html and "撤回关联 关联测试小程序 的申请" in html
    assert rows(oa) == before


def test_an_ended_association_has_no_confirmation_and_others_get_404(make_oa, mp, make_identity):
    oa = make_oa()
    link = confirm(request(oa, mp.appid))
    client = linked(oa.admin_identity)
    client.post(url("official_account_unlink", oa.appid, link.pk))
    again = client.get(url("official_account_unlink", oa.appid, link.pk))
    assert again.status_code == 302 and again.url == url("official_account_links", oa.appid)
    stranger = linked(make_identity("oa_stranger"))
    assert stranger.get(url("official_account_unlink", oa.appid, link.pk)).status_code == 404
    assert stranger.get(url("official_account_secret_reset", oa.appid)).status_code == 404
