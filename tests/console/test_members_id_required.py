"""MEM-1, MEM-2, MEM-4: adding an experience member, searching for a project member and
handing the administrator role over ask for the user's ID on its field when none was
typed, in the page's language: not the API's "user not exist or user cannot be
searched", which names no mistake of the user's. Nothing is stored."""

from __future__ import annotations

import pytest
from django.utils.html import escape

from miniport.core.branding import superapp_name_in
from miniport.identities.models import QrTicket
from miniport.miniprograms.errors import MiniProgramError
from miniport.web.sentences import sentence
from tests.console.conftest import en_client, zh_client
from tests.miniprograms.conftest import Team, console_login, snapshot

pytestmark = pytest.mark.django_db

ASK = {"en": "Enter the user's {app} ID.", "zh-hans": "请输入用户的{app}号。"}
LANGUAGES = pytest.mark.parametrize(
    ("make_client", "lang"), [(zh_client, "zh-hans"), (en_client, "en")], ids=["zh", "en"]
)


@pytest.fixture
def team(provision):
    return Team.of(provision("personal").miniprogram)


def admin_browser(team, make_client):
    client = make_client()
    assert console_login(client, team.admin, team.miniprogram.appid).status_code == 302
    return client


def asked(lang: str) -> str:
    return ASK[lang].format(app=superapp_name_in(lang))


def wire_words(lang: str) -> str:
    return sentence(MiniProgramError.USER_NOT_FOUND.message(lang))


def state(team) -> dict:
    return {**snapshot(team.miniprogram), "tickets": QrTicket.objects.count()}


@LANGUAGES
@pytest.mark.parametrize("typed", ["", "   "], ids=["empty", "blank"])
def test_an_experience_member_without_an_id_is_asked_for_on_the_field(
    team, make_client, lang, typed
):
    client = admin_browser(team, make_client)
    before = state(team)
    response = client.post("/members/experience/add/", {"wechat_id": typed})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {"wechat_id": [asked(lang)]}
    html = response.content.decode()
    assert escape(asked(lang)) in html and escape(wire_words(lang)) not in html
    assert state(team) == before


@LANGUAGES
def test_the_administrator_handover_without_an_id_is_asked_for_on_the_field(
    team, make_client, lang
):
    client = admin_browser(team, make_client)
    before = state(team)
    response = client.post("/members/handover/", {"wechat_id": ""})
    assert response.status_code == 200
    assert response.context["form"].errors == {"wechat_id": [asked(lang)]}
    assert escape(wire_words(lang)) not in response.content.decode()
    assert state(team) == before


@LANGUAGES
def test_an_empty_project_member_search_is_asked_for_on_the_field(team, make_client, lang):
    client = admin_browser(team, make_client)
    before = state(team)
    response = client.get("/members/add/", {"wechat_id": ""})
    assert response.status_code == 200
    assert response.context["search_form"].errors == {"wechat_id": [asked(lang)]}
    html = response.content.decode()
    assert escape(wire_words(lang)) not in html and 'data-testid="add-form"' not in html
    assert state(team) == before


def test_the_add_page_opened_without_a_search_shows_no_error(team):
    client = admin_browser(team, en_client)
    response = client.get("/members/add/")
    assert response.status_code == 200
    assert not response.context["search_form"].is_bound
    assert "Enter the user" not in response.content.decode()
