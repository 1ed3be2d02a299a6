"""The official-account console after an association ends (OA-1, OA-3): the menu editor
says which buttons name a mini program no longer associated (the runtime serves their
fallback web page), and the mini programs tab keeps a history of ended associations."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from miniport.core import clock
from miniport.core.actors import Actor
from miniport.links.official_accounts import links, services
from miniport.links.official_accounts.models import LinkStatus, OfficialAccountLink
from tests.links.official_accounts.support import confirm, request
from tests.links.official_accounts.test_console import linked, url

pytestmark = pytest.mark.django_db

FALLBACK = "https://example.com/fallback"


@pytest.fixture
def mp(provision):
    return provision("enterprise").miniprogram


def _menu_with(oa, mp):
    services.official_account_menu_update(
        actor=Actor.for_identity(oa.admin_identity),
        official_account=oa,
        buttons=[
            {"type": "view", "name": "网页", "url": "https://example.com/"},
            {
                "type": "miniprogram",
                "name": "小程序",
                "url": FALLBACK,
                "appid": mp.appid,
                "pagepath": "pages/index",
            },
        ],
    )
    oa.refresh_from_db()


def test_oa3_a_menu_button_of_an_unlinked_mini_program_is_flagged_and_keeps_its_appid(make_oa, mp):
    oa = make_oa()
    link = confirm(request(oa, mp.appid))
    _menu_with(oa, mp)
    client = linked(oa.admin_identity)
    before = client.get(url("official_account_menu", oa.appid)).content.decode()
    assert 'data-testid="oa-menu-stale"' not in before
    links.unlink(actor=Actor.for_identity(oa.admin_identity), link=link)

    page = client.get(url("official_account_menu", oa.appid))
    assert page.status_code == 200
    html = page.content.decode()
    # The page top and the button's own block name the mini program and the fallback.
    top = re.search(r'data-testid="oa-menu-stale".*?</div>', html, re.S)
    assert top and mp.appid in top[0] and FALLBACK in top[0]
    assert html.count('data-testid="oa-menu-row-stale"') == 1
    assert f'data-stale-appid="{mp.appid}"' in html
    assert "no longer associated" in html and str(mp) in html
    # The stored AppID stays selected, not "—".
    selected = re.search(r'<select name="button_1_appid"[^>]*>.*?</select>', html, re.S)
    assert selected and f'value="{mp.appid}" selected' in selected[0]


def test_oa3_saving_the_unlinked_button_unchanged_is_refused_on_its_field(make_oa, mp):
    oa = make_oa()
    link = confirm(request(oa, mp.appid))
    _menu_with(oa, mp)
    links.unlink(actor=Actor.for_identity(oa.admin_identity), link=link)
    stored = list(oa.menu)
    data = {}
    for i, button in enumerate(stored):
        for part in ("type", "name", "url", "appid", "pagepath"):
            data[f"button_{i}_{part}"] = button.get(part, "")
    data["button_0_name"] = "改过的网页"
    response = linked(oa.admin_identity).post(url("official_account_menu", oa.appid), data)
    assert response.status_code == 400
    assert response.context["form"].errors["button_1_appid"]
    oa.refresh_from_db()
    assert oa.menu == stored


def test_oa3_ended_associations_are_listed_with_how_and_when_they_ended(make_oa, provision):
    oa = make_oa()
    actor = Actor.for_identity(oa.admin_identity)
    unlinked, withdrawn, refused, expired = (provision("enterprise").miniprogram for _ in range(4))
    links.unlink(actor=actor, link=confirm(request(oa, unlinked.appid)))
    links.unlink(actor=actor, link=request(oa, withdrawn.appid))
    links.link_refuse(
        actor=Actor.for_identity(refused.admin_identity), link=request(oa, refused.appid)
    )
    stale = request(oa, expired.appid)
    OfficialAccountLink.objects.filter(pk=stale.pk).update(
        requested_at=clock.now() - timedelta(hours=73)
    )

    html = linked(oa.admin_identity).get(url("official_account_links", oa.appid)).content
    html = html.decode()
    history = re.search(r'data-testid="oa-link-history-rows".*?</table>', html, re.S)
    assert history
    rows = dict(re.findall(r'<tr data-appid="(\w+)" data-ended="(\w+)">', history[0]))
    assert rows == {
        unlinked.appid: "unlinked",
        withdrawn.appid: "withdrawn",
        refused.appid: "refused",
        expired.appid: "expired",
    }
    # The page shows the platform's local date, which is not UTC's for part of each day.
    today = timezone.localtime(clock.now()).strftime("%Y-%m-%d")
    assert today in history[0]
    # None of them is listed as current any more.
    current = re.search(r'data-testid="oa-link-rows".*?</table>', html, re.S)
    assert current and "data-status=" not in current[0]
    assert "Ended associations are listed below" in current[0]


def test_oa3_the_history_is_absent_while_nothing_has_ended(make_oa, mp):
    oa = make_oa()
    confirm(request(oa, mp.appid))
    html = linked(oa.admin_identity).get(url("official_account_links", oa.appid)).content
    assert b'data-testid="oa-link-history"' not in html
    assert OfficialAccountLink.objects.get().status == LinkStatus.LINKED


def test_oa1_the_tabs_mark_the_current_one_and_the_page_is_a_single_panel(make_oa):
    oa = make_oa()
    client = linked(oa.admin_identity)
    for name, tab in (
        ("official_account_links", "links"),
        ("official_account_menu", "menu"),
        ("official_account_profile", "profile"),
    ):
        html = client.get(url(name, oa.appid)).content.decode()
        nav = re.search(r'<nav class="member-tabs" data-testid="oa-tabs".*?</nav>', html, re.S)
        assert nav, name
        current = re.findall(r'<a [^>]*aria-current="page"[^>]*>', nav[0])
        assert len(current) == 1 and f'data-testid="oa-tab-{tab}"' in current[0]
        assert 'class="panel' not in html
