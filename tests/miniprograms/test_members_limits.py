"""MEM-3: member limits per subject (personal 5/10, organization 10/20, certified 20/40),
and the limit of mini programs one identity may test (85003)."""

from __future__ import annotations

import pytest

from miniport.accounts.services.certification import subject_certify
from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.core.services import policy_set_override
from miniport.miniprograms import selectors
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.services import testers as tester_services
from tests.miniprograms.conftest import Team, snapshot

SUBJECTS = {
    # name: (subject type, certified, project key, experience key)
    "personal": ("personal", False, "members.developers.personal", "members.experience.personal"),
    "organization": (
        "enterprise",
        False,
        "members.developers.organization",
        "members.experience.organization",
    ),
    "certified": (
        "enterprise",
        True,
        "members.developers.certified",
        "members.experience.certified",
    ),
}


def _team(provision, subject):
    subject_type, certified, _, _ = SUBJECTS[subject]
    return Team.of(provision(subject_type, certified=certified).miniprogram)


@pytest.mark.parametrize(
    ("subject", "kind", "limit"),
    [
        ("personal", "project", 5),
        ("personal", "experience", 10),
        ("organization", "project", 10),
        ("organization", "experience", 20),
        ("certified", "project", 20),
        ("certified", "experience", 40),
    ],
)
def test_the_member_after_the_limit_is_refused(
    provision, make_identity, subject, kind, limit, request_member
):
    """MEM-3: the default limits of seeds 001/003, read from policy."""
    team = _team(provision, subject)
    key = SUBJECTS[subject][2 if kind == "project" else 3]
    assert selectors.member_limit(team.miniprogram, kind) == limit
    assert selectors.member_limit_key(team.miniprogram, kind) == key
    for _ in range(limit):
        request_member(team, make_identity(), kind=kind)
    assert selectors.places(team.miniprogram, kind).left == 0
    extra = make_identity()
    before = snapshot(team.miniprogram)
    with pytest.raises(PlatformError) as refused:
        request_member(team, extra, kind=kind)
    expected = (
        MiniProgramError.PROJECT_MEMBER_LIMIT
        if kind == "project"
        else MiniProgramError.TESTER_LIMIT
    )
    assert refused.value.code is expected
    assert refused.value.params["limit"] == limit
    assert snapshot(team.miniprogram) == before


def test_the_limit_follows_the_operators_policy_override(
    team, make_identity, system_actor, request_member
):
    """MEM-3: limits live in policy; an override applies at once."""
    policy_set_override(actor=system_actor, key="members.developers.personal", value=1)
    request_member(team, make_identity(), kind="project")
    extra = make_identity()
    before = snapshot(team.miniprogram)
    with pytest.raises(PlatformError) as refused:
        request_member(team, extra, kind="project")
    assert refused.value.code is MiniProgramError.PROJECT_MEMBER_LIMIT
    assert snapshot(team.miniprogram) == before


def test_certification_raises_the_limit_and_keeps_the_places_taken(
    provision, make_identity, request_member
):
    """MEM-3: an organization that gets certified moves from 10 to 20 project members."""
    team = _team(provision, "organization")
    for _ in range(10):
        request_member(team, make_identity(), kind="project")
    subject_certify(actor=Actor.system("test"), subject=team.miniprogram.subject)
    team.miniprogram.subject.refresh_from_db()
    places = selectors.places(team.miniprogram, "project")
    assert (places.limit, places.taken, places.left) == (20, 10, 10)
    request_member(team, make_identity(), kind="project")
    assert selectors.places(team.miniprogram, "project").left == 9


def test_an_identity_testing_too_many_mini_programs_is_refused(
    provision, make_identity, system_actor, request_member
):
    """MEM-3 / wechat-api 85003: members.tester_of_max_miniprograms."""
    policy_set_override(actor=system_actor, key="members.tester_of_max_miniprograms", value=2)
    tester = make_identity("busy_tester")
    apps = [provision("personal").miniprogram for _ in range(3)]
    for mp in apps[:2]:
        tester_services.tester_bind(
            actor=Actor.for_app(mp.appid), miniprogram=mp, wechat_id=tester.wechat_id
        )
    third = Team.of(apps[2])
    before = snapshot(third.miniprogram)
    with pytest.raises(PlatformError) as refused:
        request_member(third, tester, kind="experience")
    assert refused.value.code is MiniProgramError.TESTER_OF_TOO_MANY
    assert snapshot(third.miniprogram) == before
    # Leaving one list frees a place in the identity's own count.
    tester_services.tester_unbind(
        actor=Actor.for_app(apps[0].appid), miniprogram=apps[0], wechat_id=tester.wechat_id
    )
    request_member(third, tester, kind="experience")


def test_project_memberships_do_not_count_as_testing(
    provision, make_identity, system_actor, request_member
):
    """85003 counts experience lists only."""
    policy_set_override(actor=system_actor, key="members.tester_of_max_miniprograms", value=1)
    person = make_identity("busy_person")
    first, second = (Team.of(provision("personal").miniprogram) for _ in range(2))
    request_member(first, person, kind="project")
    request_member(second, person, kind="project")
    request_member(first, person, kind="experience")
