"""OA-1 and OA-3 in the consoles: the official-account console (/oa/<appid>/, signed in
by scan) and the mini program's Settings › Association settings › Official accounts.
The pages call the services, show refusals on the field they name and answer 404 to
anyone who does not administer the official account."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from miniport.identities import services as identity_services
from miniport.links.official_accounts.models import LinkStatus, OfficialAccountLink
from tests.links.linked_console import linked
from tests.links.official_accounts.support import confirm, request
from tests.miniprograms.conftest import console_login
from tests.releases.version_support import add_member

pytestmark = pytest.mark.django_db


def console(identity, appid) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert console_login(client, identity, appid).status_code == 302
    return client


def url(name, *args):
    return reverse(f"console:{name}", args=args)


@pytest.fixture
def mp(provision):
    return provision("enterprise").miniprogram


def test_oa3_the_official_account_console_needs_the_scan_and_is_404_to_others(
    make_oa, make_identity
):
    oa = make_oa()
    anonymous = Client().get(url("official_account_links", oa.appid))
    assert anonymous.status_code == 302 and "next=" in anonymous.url
    stranger = linked(make_identity("stranger_oa"))
    for name in ("official_account_links", "official_account_profile", "official_account_menu"):
        assert stranger.get(url(name, oa.appid)).status_code == 404
    assert stranger.get(url("official_account_links", "wx\x00")).status_code == 404
    home = linked(oa.admin_identity).get(url("links_home"))
    assert oa.name in home.content.decode()


def test_oa3_associating_by_appid_from_the_console_waits_for_the_scan(make_oa, mp):
    oa = make_oa()
    client = linked(oa.admin_identity)
    response = client.post(url("official_account_links", oa.appid), {"appid": mp.appid})
    assert response.status_code == 302
    link = OfficialAccountLink.objects.get()
    assert link.status == LinkStatus.WAITING
    page = client.get(url("official_account_links", oa.appid)).content.decode()
    assert mp.appid in page and "Waiting for the mini program administrator" in page


def test_oa3_an_unknown_appid_is_named_on_the_field_and_nothing_is_stored(make_oa):
    oa = make_oa()
    response = linked(oa.admin_identity).post(
        url("official_account_links", oa.appid), {"appid": "wx0000000000000000"}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["appid"]
    assert OfficialAccountLink.objects.count() == 0


def test_oa3_withdrawing_and_unlinking_from_the_official_account_console(make_oa, mp):
    oa = make_oa()
    link = confirm(request(oa, mp.appid))
    client = linked(oa.admin_identity)
    assert client.post(url("official_account_unlink", oa.appid, link.pk)).status_code == 302
    link.refresh_from_db()
    assert link.status == LinkStatus.UNLINKED


def test_oa1_the_profile_is_saved_and_a_bad_name_is_named(make_oa):
    oa = make_oa()
    client = linked(oa.admin_identity)
    done = client.post(
        url("official_account_profile", oa.appid), {"name": "新名字", "introduction": "介绍"}
    )
    assert done.status_code == 302
    oa.refresh_from_db()
    assert (oa.name, oa.introduction) == ("新名字", "介绍")
    bad = client.post(url("official_account_profile", oa.appid), {"name": " ", "introduction": ""})
    assert bad.status_code == 400 and bad.context["form"].errors["name"]
    oa.refresh_from_db()
    assert oa.name == "新名字"


def test_oa3_the_menu_editor_places_a_linked_mini_program(make_oa, mp):
    oa = make_oa()
    confirm(request(oa, mp.appid))
    client = linked(oa.admin_identity)
    page = client.get(url("official_account_menu", oa.appid))
    assert mp.appid in page.content.decode()
    data = {
        "button_0_type": "",
        "button_1_type": "miniprogram",
        "button_1_name": "小程序",
        "button_1_url": "https://example.com/",
        "button_1_appid": mp.appid,
        "button_1_pagepath": "pages/index",
    }
    assert client.post(url("official_account_menu", oa.appid), data).status_code == 302
    oa.refresh_from_db()
    assert oa.menu[0]["appid"] == mp.appid
    bad = client.post(url("official_account_menu", oa.appid), {**data, "button_1_url": "ftp://x"})
    assert bad.status_code == 400 and bad.context["form"].errors["button_1_url"]


def test_oa3_the_mini_program_administrator_confirms_by_scan_from_the_settings_page(make_oa, mp):
    oa = make_oa()
    link = request(oa, mp.appid)
    client = console(mp.admin_identity, mp.appid)
    listed = client.get(url("links_official"))
    assert oa.appid in listed.content.decode()
    shown = client.get(url("links_official") + f"?confirm={link.pk}")
    ticket = shown.context["ticket"]
    assert ticket.expected_identity_id == mp.admin_identity_id
    identity_services.ticket_confirm(identity=mp.admin_identity, token=ticket.token)
    link.refresh_from_db()
    assert link.status == LinkStatus.LINKED
    assert client.post(url("links_official_act")).status_code == 302
    # the row's Unlink leads to a confirmation naming the official account; it changes
    # nothing, and only its own post unlinks
    listed = client.get(url("links_official")).content.decode()
    assert f'href="?unlink={link.pk}" data-testid="oa-unlink"' in listed
    confirming = client.get(url("links_official") + f"?unlink={link.pk}").content.decode()
    assert 'data-testid="oa-unlink-confirm"' in confirming and oa.name in confirming
    link.refresh_from_db()
    assert link.status == LinkStatus.LINKED
    done = client.post(url("links_official_act"), {"op": "unlink", "link": link.pk})
    assert done.status_code == 302
    link.refresh_from_db()
    assert link.status == LinkStatus.UNLINKED


def test_oa3_the_administrator_refuses_a_request(make_oa, mp):
    link = request(make_oa(), mp.appid)
    client = console(mp.admin_identity, mp.appid)
    assert (
        client.post(url("links_official_act"), {"op": "refuse", "link": link.pk}).status_code == 302
    )
    link.refresh_from_db()
    assert link.status == LinkStatus.REFUSED
    assert client.post(url("links_official_act"), {"op": "x", "link": link.pk}).status_code == 404
    assert (
        client.post(url("links_official_act"), {"op": "refuse", "link": "9" * 30}).status_code
        == 404
    )


def test_oa3_an_operator_reads_the_list_but_may_not_act(make_oa, mp, make_identity):
    link = request(make_oa(), mp.appid)
    operator = make_identity("oa_operator")
    add_member(mp, operator, kind="project", roles=("operator",))
    client = console(operator, mp.appid)
    page = client.get(url("links_official") + f"?confirm={link.pk}")
    assert page.status_code == 200 and "ticket" not in page.context
    assert (
        client.post(url("links_official_act"), {"op": "refuse", "link": link.pk}).status_code == 403
    )
    link.refresh_from_db()
    assert link.status == LinkStatus.WAITING
