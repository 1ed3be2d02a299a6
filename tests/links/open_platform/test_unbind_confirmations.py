"""OPN-1 in the console: unbinding from an open platform account asks first, whether the
mini program unbinds itself (Settings › Association settings › Open platform) or the
account's page unbinds one of its apps. The "Unbind" button leads to a confirmation page
(GET) naming the account and the mini program and what follows (the UnionID), which
changes nothing; its button unbinds (the same POST as before, which still works
directly). A page opened when nothing is bound any more says so and offers no button."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from miniport.links.open_platform import services
from miniport.links.open_platform.errors import OpenError
from miniport.links.open_platform.models import OpenBinding
from miniport.web.sentences import sentence
from tests.links.open_platform.makers import SYSTEM, certified_account
from tests.miniprograms.conftest import console_login

UNBIND = reverse("console:links_open_unbind")


def _admin(mp, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    console_login(client, mp.admin_identity, mp.appid)
    return client


def bindings() -> list:
    return sorted(OpenBinding.objects.values_list("open_account", "miniprogram"))


def bound(owner, *others):
    account = certified_account(owner)
    for mp in (owner, *others):
        services.open_bind(actor=SYSTEM, account=account, miniprogram=mp, via_api=False)
    return account


def account_unbind_url(account, mp) -> str:
    return f"{UNBIND}?open_appid={account.open_appid}&appid={mp.appid}"


def test_the_mini_programs_unbind_button_leads_to_a_confirmation_that_changes_nothing(provision):
    owner = provision("enterprise", certified=True).miniprogram
    account = bound(owner)
    client = _admin(owner)
    listing = client.get(reverse("console:links_open")).content.decode()
    assert f'href="{UNBIND}" class="btn secondary" data-testid="unbind-self"' in listing
    before = bindings()
    page = client.get(UNBIND)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="open-unbind-confirm"' in html
    assert account.open_appid in html and owner.appid in html
    assert "UnionID" in html
    assert f'action="{reverse("console:links_open_act")}"' in html
    assert 'name="op" value="unbind"' in html and 'data-testid="unbind-confirm"' in html
    assert f'href="{reverse("console:links_open")}"' in html
    assert bindings() == before
    assert client.post(reverse("console:links_open_act"), {"op": "unbind"}).status_code == 302
    assert not OpenBinding.objects.exists()


def test_the_accounts_unbind_button_leads_to_a_confirmation_that_changes_nothing(provision):
    owner = provision("enterprise", certified=True).miniprogram
    other = provision("personal").miniprogram
    account = bound(owner, other)
    client = _admin(owner)
    page_url = reverse("console:links_open_account", args=[account.open_appid])
    shown = client.get(page_url).content.decode().replace("&amp;", "&")
    assert f'href="{account_unbind_url(account, other)}"' in shown
    before = bindings()
    page = client.get(account_unbind_url(account, other))
    assert page.status_code == 200
    html = page.content.decode()
    assert account.open_appid in html and other.appid in html and other.name in html
    act = reverse("console:links_open_account_act", args=[account.open_appid])
    assert f'action="{act}"' in html
    assert f'name="appid" value="{other.appid}"' in html
    assert 'data-testid="unbind-confirm"' in html and f'href="{page_url}"' in html
    assert bindings() == before
    assert client.post(act, {"op": "unbind", "appid": other.appid}).status_code == 302
    assert bindings() == [(account.pk, owner.pk)]


def test_a_confirmation_when_nothing_is_bound_says_so(provision):
    owner = provision("enterprise", certified=True).miniprogram
    other = provision("personal").miniprogram
    account = certified_account(owner)
    client = _admin(owner)
    message = sentence(OpenError.NOT_BOUND_HERE.message("en"))
    for url in (UNBIND, account_unbind_url(account, other)):
        response = client.get(url)
        assert response.status_code == 409, url
        html = response.content.decode()
        assert message in html, url
        assert 'data-testid="unbind-confirm"' not in html, url
    assert bindings() == []


def test_another_subjects_account_or_a_forged_one_answers_404(provision):
    owner = provision("enterprise", certified=True).miniprogram
    stranger = provision("personal").miniprogram
    account = bound(owner)
    client = _admin(stranger)
    assert client.get(account_unbind_url(account, owner)).status_code == 404
    assert client.get(f"{UNBIND}?open_appid=wx%00&appid=x").status_code == 404
    assert bindings() == [(account.pk, owner.pk)]


def test_the_confirmations_speak_one_language(provision):
    from tests.i18n.test_one_language_per_page import offending

    owner = provision("enterprise", certified=True).miniprogram
    other = provision("personal").miniprogram
    account = bound(owner, other)
    values = {owner.name, other.name, owner.appid, other.appid, account.open_appid}
    for language in ("zh-hans", "en"):
        client = _admin(owner, language)
        for url in (UNBIND, account_unbind_url(account, other)):
            response = client.get(url)
            assert response.status_code == 200, url
            html = response.content.decode()
            assert f'<html lang="{language}">' in html, url
            assert offending(html, language, values) == [], url
