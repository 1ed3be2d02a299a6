"""MEM-5: the console menu offers each role only the pages the permission table opens to it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from miniport.console import menu
from miniport.miniprograms import permissions


def _menu_links(html: str) -> set[str]:
    html = html.split('data-testid="console-menu"', 1)[1].split("</nav>", 1)[0]
    return {
        entry.url
        for _label, entries in menu.build(None)
        for entry in entries
        if entry.url and f'href="{entry.url}"' in html
    }


@pytest.mark.parametrize("role", ["developer", "operator", "data_analyst"])
def test_a_member_sees_exactly_the_menu_entries_its_role_may_open(
    role, team, make_identity, add_member, console_as
):
    """MEM-5: entries are derived from the permission table, not hard-coded per role."""
    member = make_identity(f"member_{role}")
    add_member(team, member, roles=(role,))
    html = console_as(member).get(reverse("console:home")).content.decode()

    expected = {
        url
        for section in menu.MENU
        for entry in section.entries
        if (url := menu.entry_url(entry.key))
        and (entry.action is None or permissions.allowed({role}, entry.action))
    }
    assert _menu_links(html) == expected


def test_a_data_analyst_is_offered_no_development_settings(
    team, make_identity, add_member, console_as
):
    """MEM-5: the data analyst never reaches development settings, not even as a menu link."""
    analyst = make_identity("analyst_one")
    add_member(team, analyst, roles=("data_analyst",))
    html = console_as(analyst).get(reverse("console:home")).content.decode()
    # Neither in the menu nor in the home checklist ("configure the server").
    assert f'href="{reverse("console:dev_settings")}"' not in html
    assert f'href="{reverse("console:members")}"' in html
