"""DEV-3: saving the server domains or the business domains as they already are is no
mistake: the page says that nothing changed as information, in the page's language (not
the API's "no domain to modify after filtered ..." nor "webview domain not changed",
which the wire keeps), and nothing is stored nor spent."""

from __future__ import annotations

import pytest
from django.test import Client

from miniport.core.actors import Actor
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models.devsettings import DOMAIN_FIELDS
from miniport.miniprograms.services import devsettings
from miniport.web.sentences import sentence
from tests.console.conftest import en_client, zh_client
from tests.miniprograms.conftest import console_login
from tests.miniprograms.devsettings_support import dev_state

pytestmark = pytest.mark.django_db

EMPTY = {name: "" for name in DOMAIN_FIELDS}
NOTHING = {
    "en": "Nothing changed: the server domains are the same as before.",
    "zh-hans": "没有变化：服务器域名与之前相同。",
}
NOTHING_WEBVIEW = {
    "en": "Nothing changed: the business domains are the same as before.",
    "zh-hans": "没有变化：业务域名与之前相同。",
}
LANGUAGES = pytest.mark.parametrize(
    ("make_client", "lang"), [(zh_client, "zh-hans"), (en_client, "en")], ids=["zh", "en"]
)


def admin(app, make_client) -> Client:
    client = make_client()
    console_login(client, app.miniprogram.admin_identity, app.miniprogram.appid)
    return client


def messages_of(response) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in response.context["messages"]]


@LANGUAGES
def test_saving_the_server_domains_unchanged_says_nothing_changed(provision, make_client, lang):
    app = provision("personal")
    mp = app.miniprogram
    devsettings.domains_modify(
        actor=Actor.for_identity(mp.admin_identity),
        miniprogram=mp,
        action="set",
        requested={"requestdomain": ["https://api.example.com"]},
    )
    client = admin(app, make_client)
    before = dev_state(mp)
    response = client.post(
        "/settings/dev/domains/", {**EMPTY, "requestdomain": "https://api.example.com"}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/settings/dev/"
    assert messages_of(response) == [("info", NOTHING[lang])]
    html = response.content.decode()
    wire = MiniProgramError.DOMAIN_NOTHING_TO_MODIFY.message(lang)
    assert wire not in html and sentence(wire) not in html
    assert dev_state(mp) == before


@LANGUAGES
def test_saving_empty_server_domains_over_empty_ones_says_nothing_changed(
    provision, make_client, lang
):
    app = provision("personal")
    client = admin(app, make_client)
    client.get("/settings/dev/domains/")  # the form as the user sees it
    before = dev_state(app.miniprogram)
    response = client.post("/settings/dev/domains/", EMPTY, follow=True)
    assert messages_of(response) == [("info", NOTHING[lang])]
    assert dev_state(app.miniprogram) == before


@LANGUAGES
def test_saving_the_business_domains_unchanged_says_nothing_changed(provision, make_client, lang):
    app = provision("enterprise")
    mp = app.miniprogram
    devsettings.webview_domains_modify(
        actor=Actor.for_identity(mp.admin_identity),
        miniprogram=mp,
        action="set",
        domains=["https://web.example.com"],
    )
    client = admin(app, make_client)
    before = dev_state(mp)
    response = client.post(
        "/settings/dev/webview-domains/", {"webviewdomain": "https://web.example.com"}, follow=True
    )
    assert messages_of(response) == [("info", NOTHING_WEBVIEW[lang])]
    wire = MiniProgramError.WEBVIEW_NO_CHANGE.message(lang)
    assert sentence(wire) not in response.content.decode()
    assert dev_state(mp) == before


def test_the_api_keeps_the_wire_message_of_an_unchanged_list(provision):
    """wechat-api 6.1: the API still answers 85017 with WeChat's errmsg."""
    mp = provision("personal").miniprogram
    with pytest.raises(Exception) as refused:
        devsettings.domains_modify(
            actor=Actor.for_identity(mp.admin_identity),
            miniprogram=mp,
            action="set",
            requested={name: [] for name in DOMAIN_FIELDS},
        )
    assert refused.value.code is MiniProgramError.DOMAIN_NOTHING_TO_MODIFY
    assert refused.value.wire_message() == (
        "no domain to modify after filtered, please confirm the domain has been set in "
        "miniprogram or open"
    )
