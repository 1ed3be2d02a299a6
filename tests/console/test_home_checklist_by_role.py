"""INF-9 / MEM-5: the home checklist tells each role only what the pages it may open
would tell it: an item whose page the role cannot open shows no done state."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from miniport.console import checklist, menu
from miniport.miniprograms import permissions
from miniport.miniprograms.models import DevSettings
from tests.console.console_routes import build_world

ITEM = re.compile(r'data-item="(\w+)" data-done="(\w+)"')
MEMBERS = ("administrator (scan login)", "operator", "developer", "data_analyst")


@pytest.fixture
def world(provision, make_identity):
    """Everything on the checklist the platform can know is done, except the release."""
    world = build_world(provision, make_identity)
    DevSettings.objects.filter(miniprogram=world.miniprogram).update(
        domains={"requestdomain": ["https://api.example.com"]}
    )
    return world


def _checklist(client) -> dict[str, str]:
    response = client.get(reverse("console:home"))
    assert response.status_code == 200
    return dict(ITEM.findall(response.content.decode()))


def test_a_data_analyst_is_not_told_whether_the_server_domains_are_configured(world):
    """MEM-5: the server domains are development settings (devsettings.view), which the
    data analyst lacks; the developer, who has it, sees the item done."""
    assert not permissions.allowed({permissions.DATA_ANALYST}, "devsettings.view")
    assert _checklist(world.persona("data_analyst").client)["server"] == "unknown"
    assert _checklist(world.persona("developer").client)["server"] == "yes"


@pytest.mark.parametrize("persona", MEMBERS)
def test_each_role_sees_the_done_state_only_of_items_whose_page_it_may_open(world, persona):
    """INF-9 / MEM-5: derived from the permission table, not written per role."""
    who = world.persona(persona)
    roles = frozenset(world.roles(who))
    shown = _checklist(who.client)
    for _step, items in checklist.build(world.miniprogram):
        for item in items:
            spec = next(s for s in checklist.STEP_ONE + checklist.STEP_TWO if s.key == item.key)
            may_open = spec.menu_key is None or menu.entry_allowed(spec.menu_key, roles)
            if item.done is None or not may_open:
                expected = "unknown"
            else:
                expected = "yes" if item.done else "no"
            assert shown[item.key] == expected, (persona, item.key)


def test_the_administrator_sees_every_done_state(world):
    """INF-9: the administrator may open every page the checklist points to."""
    shown = _checklist(world.persona("administrator (email login)").client)
    assert shown["information"] == shown["categories"] == shown["server"] == "yes"
    assert shown["developers"] == "yes"
    assert shown["release"] == "no"


def test_the_home_shows_the_appid_to_every_member(world):
    """DEV-1 places the AppID under development settings; it is no secret (WeChat shows
    it on every mini program's profile), so the home keeps showing it to every role that
    may open the home, the data analyst included."""
    for persona in MEMBERS:
        page = world.persona(persona).client.get(reverse("console:home")).content.decode()
        assert f'data-testid="appid">{world.miniprogram.appid}<' in page, persona
