"""REG-8: an organization names its administrator: name, ID number, phone with SMS code,
and the scan of that person's identity."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from miniport.accounts import services
from miniport.accounts.errors import AccountError
from miniport.accounts.models import Draft, Subject
from miniport.core.errors import CoreError, PlatformError
from miniport.core.validators import make_id_number
from miniport.identities.errors import IdentityError
from miniport.miniprograms.models import MiniProgram
from tests.accounts.conftest import sms_code

ORGANIZATIONS = ["enterprise", "individual_business", "government", "media", "other"]
TODAY = datetime(2025, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def save_admin(walk, **changes):
    form = {
        "admin_name": walk.admin.real_name,
        "admin_id_number": walk.admin.id_number,
        "phone": walk.phone,
        "sms_code": sms_code(walk.phone),
    }
    form.update(changes)
    return services.registration_save_admin(
        actor=walk.actor, registration=walk.registration, **form
    )


def refused(walk, snapshot, code, field, **changes):
    before = snapshot(walk)
    with pytest.raises(PlatformError) as caught:
        save_admin(walk, **changes)
    assert caught.value.code == code
    assert caught.value.field == field
    assert snapshot(walk) == before
    return caught.value


@pytest.mark.parametrize("subject_type", ORGANIZATIONS)
def test_an_organization_registers_its_verified_administrator(drive, subject_type):
    """REG-8: the confirmed subject carries the administrator, who administers the mini program."""
    walk = drive(subject_type=subject_type)
    subject = Subject.objects.get(registration=walk.registration)
    assert subject.name == walk.data["name"] and subject.id_number == ""
    assert (subject.admin_name, subject.admin_id_number, subject.admin_phone) == (
        walk.admin.real_name,
        walk.admin.id_number,
        walk.phone,
    )
    assert MiniProgram.objects.get(account=walk.account).admin_identity == walk.admin


def test_administrator_information_before_the_subject_is_refused(drive, snapshot):
    """REG-8: the subject comes first."""
    walk = drive("activated", subject_type="enterprise")
    services.registration_send_sms(
        actor=walk.actor, registration=walk.registration, phone=walk.phone
    )
    before = snapshot(walk)
    with pytest.raises(PlatformError) as caught:
        save_admin(walk)
    assert caught.value.code == AccountError.REGISTRATION_STATE_INVALID
    assert snapshot(walk) == before


def test_an_administrator_without_a_name_is_refused(drive, snapshot):
    """REG-8: the administrator's name is required."""
    walk = drive("sms_sent", subject_type="enterprise")
    refused(walk, snapshot, CoreError.FIELD_REQUIRED, "admin_name", admin_name=" ")


@pytest.mark.parametrize("id_number", ["", "110101199001011230", "abc"])
def test_an_invalid_administrator_id_number_is_refused(drive, snapshot, id_number):
    """REG-8: the administrator's ID number is validated."""
    walk = drive("sms_sent", subject_type="government")
    refused(
        walk, snapshot, CoreError.ID_NUMBER_INVALID, "admin_id_number", admin_id_number=id_number
    )


def test_an_administrator_turning_eighteen_tomorrow_is_refused(drive, snapshot):
    """REG-8: administrators are adults."""
    with time_machine.travel(TODAY, tick=False):
        walk = drive("sms_sent", subject_type="enterprise")
        minor = make_id_number(date(2007, 6, 16), sequence=5)
        error = refused(
            walk,
            snapshot,
            IdentityError.IDENTITY_UNDERAGE,
            "admin_id_number",
            admin_id_number=minor,
        )
        assert error.params["age"] == 18


def test_an_administrator_turning_eighteen_today_is_accepted(drive):
    """REG-8: the eighteenth birthday counts."""
    with time_machine.travel(TODAY, tick=False):
        walk = drive("sms_sent", subject_type="enterprise")
        adult = make_id_number(date(2007, 6, 15), sequence=5)
        save_admin(walk, admin_id_number=adult)
        assert Draft.objects.get(registration=walk.registration).data["admin_id_number"] == adult


def test_an_administrator_id_number_with_five_mini_programs_is_refused(
    drive, snapshot, make_identity
):
    """REG-8 / REG-5: the ID number limit counts administrators of organizations too."""
    person = make_identity()
    for _ in range(5):
        drive(admin=person)
    walk = drive("sms_sent", subject_type="enterprise", admin=person)
    error = refused(walk, snapshot, AccountError.ID_NUMBER_QUOTA, "admin_id_number")
    assert error.params["limit"] == 5


def test_an_invalid_administrator_phone_is_refused(drive, snapshot):
    """REG-8: a mainland mobile number."""
    walk = drive("sms_sent", subject_type="media")
    refused(walk, snapshot, CoreError.PHONE_INVALID, "phone", phone="0755-1234567")
