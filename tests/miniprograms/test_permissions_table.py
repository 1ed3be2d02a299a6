"""MEM-5: the permission groups of seed 004, as the one permission table states them."""

from __future__ import annotations

import pytest

from miniport.miniprograms import permissions
from miniport.miniprograms.permissions import (
    ADMINISTRATOR,
    APP,
    DATA_ANALYST,
    DEVELOPER,
    EXPERIENCE,
    OPERATOR,
    PERMISSIONS,
    ROLES,
)


def test_every_action_grants_only_known_roles():
    for action, granted in PERMISSIONS.items():
        assert granted <= set(ROLES), action


def test_operator_has_management_promotion_and_settings():
    """MEM-5: operator = management, promotion, settings."""
    for action in (
        "console.enter",
        "profile.edit",
        "categories.edit",
        "members.view",
        "experience.manage",
    ):
        assert permissions.allowed([OPERATOR], action), action
    for action in ("devsettings.view", "experience.use", "members.manage", "secret.reset"):
        assert not permissions.allowed([OPERATOR], action), action


def test_developer_has_the_development_module_and_the_experience_version():
    """MEM-5: developer = development module, may use the experience version."""
    for action in ("devsettings.view", "devsettings.edit", "experience.use"):
        assert permissions.allowed([DEVELOPER], action), action
    for action in ("profile.edit", "stats.view", "members.manage", "secret.reset"):
        assert not permissions.allowed([DEVELOPER], action), action


@pytest.mark.parametrize(
    "action",
    [
        "devsettings.view",
        "devsettings.edit",
        "secret.reset",
        "subject.view_id_number",
        "audit.view",
    ],
)
def test_a_data_analyst_never_sees_the_secret_id_numbers_or_development_settings(action):
    """MEM-5: data analyst = statistics + experience version, nothing more sensitive."""
    assert not permissions.allowed([DATA_ANALYST], action)


def test_data_analyst_has_statistics_and_the_experience_version():
    """MEM-5: data analyst = statistics module, may use the experience version."""
    assert permissions.allowed([DATA_ANALYST], "stats.view")
    assert permissions.allowed([DATA_ANALYST], "experience.use")


def test_experience_members_only_use_the_experience_version():
    """MEM-2: experience members are not project members."""
    assert permissions.actions_for([EXPERIENCE]) == {"experience.use"}


def test_the_administrator_may_do_everything_a_member_may_except_leave():
    member_actions = permissions.actions_for([OPERATOR, DEVELOPER, DATA_ANALYST])
    assert member_actions - {"members.leave"} <= permissions.actions_for([ADMINISTRATOR])
    assert not permissions.allowed([ADMINISTRATOR], "members.leave")


def test_roles_combine():
    """MEM-1: any combination of roles holds the union of their permissions."""
    assert permissions.actions_for([OPERATOR, DATA_ANALYST]) == (
        permissions.actions_for([OPERATOR]) | permissions.actions_for([DATA_ANALYST])
    )


def test_the_apps_server_manages_testers_but_never_members_or_the_console():
    assert permissions.allowed([APP], "experience.manage")
    for action in ("console.enter", "members.manage", "admin.handover", "secret.reset"):
        assert not permissions.allowed([APP], action), action


def test_an_unknown_action_is_a_programming_error():
    with pytest.raises(KeyError):
        permissions.allowed([ADMINISTRATOR], "no.such.action")
