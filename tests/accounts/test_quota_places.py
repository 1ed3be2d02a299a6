"""REG-5 / REG-6: the ID-number and phone places taken at confirmation are given back when
the registration fails."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

from miniport.accounts import services
from miniport.accounts.services.information import id_quota_remaining, phone_quota_remaining
from miniport.core import ids
from miniport.core.actors import Actor

START = datetime(2025, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def places(walk):
    return id_quota_remaining(ids.digest(walk.admin.id_number)), phone_quota_remaining(walk.phone)


def test_a_registration_failed_by_an_operator_gives_its_places_back(drive):
    """REG-5: a failed registration no longer counts against the ID number and the phone."""
    walk = drive(subject_type="media")
    assert places(walk) == (4, 4)
    services.registration_fail(
        actor=Actor.system("tests"), registration=walk.registration, reason="refused"
    )
    assert places(walk) == (5, 5)


def test_an_overdue_remittance_gives_its_places_back_when_written_down(drive):
    """REG-6: the deadline sweep fails the registration and frees its places."""
    with time_machine.travel(START, tick=False) as traveller:
        walk = drive(subject_type="enterprise")
        traveller.shift(timedelta(days=10))
        assert services.registrations_fail_overdue() == 1
        assert places(walk) == (5, 5)
        assert services.registrations_fail_overdue() == 0
        assert places(walk) == (5, 5)


def test_a_freed_place_can_be_used_by_a_new_registration(drive, make_identity):
    """REG-5: after a failure the person may register again within the limit."""
    person = make_identity()
    walks = [drive(admin=person, subject_type="other") for _ in range(5)]
    services.registration_fail(
        actor=Actor.system("tests"), registration=walks[0].registration, reason="refused"
    )
    assert drive(admin=person).registration.status == "active"
