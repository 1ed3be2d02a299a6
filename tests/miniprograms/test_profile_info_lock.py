"""INF-1: information can be completed while development goes on; subjects verified by
certification only after certification, remittance subjects once verified."""

from __future__ import annotations

import pytest

from miniport.accounts import services as accounts
from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.services import avatar, categories, profile
from tests.miniprograms.profile_support import (
    actor_of,
    fresh,
    image_bytes,
    personal_app_fixture,  # noqa: F401
    snapshot,
)
from tests.ops.journeys import confirmed_registration


def every_edit(mp):
    actor = actor_of(mp)
    return {
        "name": lambda: profile.name_request(actor=actor, miniprogram=mp, name="锁定期的名字"),
        "short_name": lambda: profile.short_name_change(
            actor=actor, miniprogram=mp, short_name="锁定简称"
        ),
        "avatar": lambda: avatar.avatar_change(actor=actor, miniprogram=mp, upload=image_bytes()),
        "introduction": lambda: profile.introduction_change(
            actor=actor, miniprogram=mp, introduction="锁定期的介绍"
        ),
        "category": lambda: categories.category_add(
            actor=actor, miniprogram=mp, first=1, second=101
        ),
    }


@pytest.fixture
def waiting_for_certification(db):
    registration = confirmed_registration(subject_type="government", method="certification")
    assert registration.status == "pending_certification"
    return registration


@pytest.fixture
def waiting_for_remittance(db):
    registration = confirmed_registration(subject_type="enterprise", method="remittance")
    assert registration.status == "pending_remittance"
    return registration


@pytest.mark.parametrize("what", ["name", "short_name", "avatar", "introduction", "category"])
def test_certification_subjects_cannot_edit_information_before_certification(
    waiting_for_certification, what
):
    """INF-1: certification-path subjects complete information only after certification."""
    mp = waiting_for_certification.account.miniprogram
    before = snapshot(mp)
    with pytest.raises(PlatformError) as caught:
        every_edit(mp)[what]()
    assert caught.value.code == MiniProgramError.INFO_LOCKED_UNTIL_CERTIFIED
    assert snapshot(mp) == before
    assert profile.info_lock(mp) == MiniProgramError.INFO_LOCKED_UNTIL_CERTIFIED


def test_certification_unlocks_the_information(waiting_for_certification):
    """INF-1: once certified, the information can be completed."""
    accounts.registration_verify(
        actor=Actor.system("tests"), registration=waiting_for_certification
    )
    mp = fresh(waiting_for_certification.account.miniprogram)
    assert profile.info_lock(mp) is None
    profile.introduction_change(actor=actor_of(mp), miniprogram=mp, introduction="认证后的介绍")
    assert fresh(mp).introduction == "认证后的介绍"


@pytest.mark.parametrize("what", ["name", "introduction", "category"])
def test_remittance_subjects_wait_for_the_remittance(waiting_for_remittance, what):
    """INF-1: remittance-path subjects complete information once the remittance is verified."""
    mp = waiting_for_remittance.account.miniprogram
    before = snapshot(mp)
    with pytest.raises(PlatformError) as caught:
        every_edit(mp)[what]()
    assert caught.value.code == MiniProgramError.INFO_LOCKED_UNTIL_VERIFIED
    assert snapshot(mp) == before


def test_remittance_verification_unlocks_the_information(waiting_for_remittance):
    accounts.registration_verify(actor=Actor.system("tests"), registration=waiting_for_remittance)
    mp = fresh(waiting_for_remittance.account.miniprogram)
    categories.category_add(actor=actor_of(mp), miniprogram=mp, first=1, second=101)
    assert mp.categories.count() == 1


def test_personal_subjects_complete_information_at_once(personal_app):
    """INF-1: personal subjects edit while development goes on."""
    assert profile.info_lock(personal_app) is None
    profile.short_name_change(
        actor=actor_of(personal_app), miniprogram=personal_app, short_name="甲应用"
    )
    assert fresh(personal_app).short_name == "甲应用"
