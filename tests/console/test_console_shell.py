"""INF-9 and the console shell: the menu of seed 004, the release checklist, access."""

from __future__ import annotations

import re

import pytest
from django.http import Http404
from django.test import RequestFactory

from miniport.console import access, menu
from miniport.core import clock
from miniport.miniprograms.models import CategoryStatus, MiniProgram, MiniProgramCategory
from tests.console.conftest import two_step_login, zh_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def console(provision):
    """A browser inside the console of a freshly provisioned mini program."""
    app = provision("personal", name="风陨")
    client = zh_client()
    two_step_login(client, app)
    client.post("/login/scan/complete/")
    return client, app.miniprogram


def test_visitors_see_a_landing_page_with_register_and_login(db):
    html = zh_client().get("/").content.decode()
    assert 'href="/register/"' in html and 'href="/login/"' in html


def test_the_menu_follows_the_console_of_seed_004(console):
    client, _mp = console
    html = client.get("/").content.decode()
    keys = re.findall(r'data-menu="(\w+)"', html)
    assert keys == [entry.key for section in menu.MENU for entry in section.entries]
    assert keys[0] == "home"
    for key in (
        "versions",
        "members",
        "feedback",
        "statistics",
        "customer_service",
        "subscribe_messages",
        "dev_management",
        "dev_tools",
        "basic_settings",
        "third_party_settings",
        "link_settings",
    ):
        assert key in keys


def test_sections_not_built_yet_are_marked_and_never_broken_links(console):
    client, _mp = console
    html = client.get("/").content.decode()
    for entry in (e for section in menu.MENU for e in section.entries):
        shown_as_link = re.search(rf'<a href="([^"]+)" data-menu="{entry.key}"', html)
        if shown_as_link:
            assert client.get(shown_as_link.group(1)).status_code == 200
        else:
            assert re.search(rf'<span class="soon" data-menu="{entry.key}"', html)


def test_an_entry_lights_up_once_its_page_exists(monkeypatch):
    monkeypatch.setattr(
        menu,
        "MENU",
        [
            menu.Section(
                None,
                (
                    menu.Entry("built", "Built", "console:register_status"),
                    menu.Entry("planned", "Planned", "console:not_there_yet"),
                    menu.Entry("idea", "Idea"),
                ),
            )
        ],
    )
    ((_label, entries),) = menu.build("console:register_status")
    assert [(e.key, e.url, e.active) for e in entries] == [
        ("built", "/register/status/", True),
        ("planned", None, False),
        ("idea", None, False),
    ]


def test_home_shows_the_appid_the_state_and_the_release_checklist(console):
    """INF-9: step 1 information, categories, tools, developers, server, help; step 2 release."""
    client, mp = console
    html = client.get("/").content.decode()
    assert mp.appid in html
    assert 'data-status="active"' in html
    items = re.findall(r'data-item="(\w+)" data-done="(\w+)"', html)
    assert [key for key, _done in items] == [
        "information",
        "categories",
        "dev_tools",
        "developers",
        "server",
        "help",
        "release",
    ]
    done = dict(items)
    assert done["information"] == "yes"
    assert done["categories"] == "no"
    assert done["release"] == "no"


def test_the_checklist_follows_what_is_done(console):
    """INF-9: what is done shows as done."""
    client, mp = console
    MiniProgramCategory.objects.create(
        miniprogram=mp,
        first_id=1,
        second_id=2,
        first_name="教育服务",
        second_name="在线教育",
        status=CategoryStatus.APPROVED,
        created_at=clock.now(),
    )
    MiniProgram.objects.filter(pk=mp.pk).update(first_released_at=clock.now())
    done = dict(
        re.findall(r'data-item="(\w+)" data-done="(\w+)"', client.get("/").content.decode())
    )
    assert done["categories"] == "yes"
    assert done["release"] == "yes"


def test_objects_of_another_mini_program_answer_404(console, provision):
    _client, mine = console
    other = provision("enterprise", certified=True).miniprogram
    own = MiniProgramCategory.objects.create(
        miniprogram=mine,
        first_id=1,
        second_id=2,
        first_name="a",
        second_name="b",
        status=CategoryStatus.APPROVED,
        created_at=clock.now(),
    )
    foreign = MiniProgramCategory.objects.create(
        miniprogram=other,
        first_id=1,
        second_id=2,
        first_name="a",
        second_name="b",
        status=CategoryStatus.APPROVED,
        created_at=clock.now(),
    )
    request = RequestFactory().get("/")
    request.miniprogram = mine
    assert access.owned_or_404(request, MiniProgramCategory, pk=own.pk) == own
    with pytest.raises(Http404):
        access.owned_or_404(request, MiniProgramCategory, pk=foreign.pk)
    with pytest.raises(Http404):
        access.owned_or_404(request, MiniProgramCategory.objects.all(), pk=10**9)


def test_console_pages_send_visitors_to_log_in(db):
    request = RequestFactory().get("/somewhere/")
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.db import SessionStore

    request.user = AnonymousUser()
    request.session = SessionStore()
    response = access.console_view(lambda r: None)(request)
    assert response.status_code == 302 and response.url == "/login/?next=/somewhere/"
