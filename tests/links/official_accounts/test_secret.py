"""OA-1: an official account's AppSecret is reset by its administrator in the console's
profile page (the new one shown once, on the next page only) or by `miniport oa secret`;
the old secret no longer gets a token and the tokens issued before stop working.
Refusals (another identity, a GET, an unknown AppID) change nothing."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from miniport.links.official_accounts.models import OfficialAccount
from tests.links.linked_console import linked

pytestmark = pytest.mark.django_db


def token_of(appid, secret) -> dict:
    return json.loads(
        Client()
        .get(
            "/cgi-bin/token", {"grant_type": "client_credential", "appid": appid, "secret": secret}
        )
        .content
    )


def linkget(token) -> dict:
    answer = Client().post(
        f"/cgi-bin/wxopen/wxamplinkget?access_token={token}", "{}", content_type="application/json"
    )
    return json.loads(answer.content)


def digest_of(oa) -> str:
    return OfficialAccount.objects.get(pk=oa.pk).secret_digest


def test_oa1_the_administrator_resets_the_appsecret_shown_once_and_the_old_one_ends(
    make_oa,
):
    oa = make_oa()
    old_token = token_of(oa.appid, oa.secret)["access_token"]
    client = linked(oa.admin_identity)
    profile = client.get(reverse("console:official_account_profile", args=[oa.appid]))
    assert 'data-testid="oa-secret-reset"' in profile.content.decode()
    answer = client.post(reverse("console:official_account_secret_reset", args=[oa.appid]))
    shown_url = reverse("console:official_account_secret_shown", args=[oa.appid])
    assert answer.status_code == 302 and answer.url == shown_url
    page = client.get(shown_url).content.decode()
    [secret] = re.findall(r'data-testid="secret-value">([0-9a-f]{32})<', page)
    assert secret != oa.secret
    again = client.get(shown_url)
    assert again.status_code == 302 and secret not in again.content.decode()
    assert secret not in client.get(again.url).content.decode()
    assert token_of(oa.appid, oa.secret)["errcode"] == 40001
    # Issued tokens live on until they expire, as a mini program's do.
    assert linkget(old_token)["errcode"] == 0
    fresh = token_of(oa.appid, secret)["access_token"]
    assert linkget(fresh)["errcode"] == 0


def test_oa1_no_one_but_the_administrator_resets_the_appsecret_and_a_get_changes_nothing(
    make_oa, make_identity
):
    oa, other = make_oa(), make_oa()
    before = digest_of(oa)
    reset = reverse("console:official_account_secret_reset", args=[oa.appid])
    assert linked(make_identity("oa_stranger")).post(reset).status_code == 404
    assert linked(other.admin_identity).post(reset).status_code == 404
    assert Client().post(reset).status_code == 302  # to the scan sign-in
    # A GET is the confirmation page: it names the official account and resets nothing.
    confirmation = linked(oa.admin_identity).get(reset)
    assert confirmation.status_code == 200
    assert 'data-testid="oa-secret-confirm"' in confirmation.content.decode()
    nul = reverse("console:official_account_secret_reset", args=["wx\x00"])
    assert linked(oa.admin_identity).post(nul).status_code == 404
    assert digest_of(oa) == before
    assert "access_token" in token_of(oa.appid, oa.secret)


def test_oa1_the_secret_shown_page_of_another_official_account_shows_nothing(
    make_oa, make_identity
):
    admin = make_identity("oa_two_accounts")
    first, second = make_oa(admin=admin), make_oa(admin=admin)
    client = linked(admin)
    client.post(reverse("console:official_account_secret_reset", args=[first.appid]))
    other = client.get(reverse("console:official_account_secret_shown", args=[second.appid]))
    assert other.status_code == 302
    page = client.get(reverse("console:official_account_secret_shown", args=[first.appid]))
    assert page.status_code == 302  # taken by the visit above: shown once means once
