"""REG-5: the personal subject: an adult with a mainland identity; at most 5 mini programs
per ID number and per administrator phone, places taken at confirmation."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from miniport.accounts import services
from miniport.accounts.errors import AccountError
from miniport.accounts.models import Draft, RegistrationStatus, Subject
from miniport.accounts.services.information import id_quota_remaining, phone_quota_remaining
from miniport.core import ids, policy
from miniport.core.errors import CoreError, PlatformError
from miniport.core.models import PolicyOverride
from miniport.core.validators import make_id_number
from miniport.identities.errors import IdentityError
from miniport.miniprograms.models import MiniProgram
from miniport.miniprograms.services import registration_confirm
from tests.accounts.conftest import sms_code, subject_data

TODAY = datetime(2025, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def with_wrong_check_character(number):
    return number[:-1] + ("1" if number.endswith("0") else "0")


def expect(code, field, call, **kwargs):
    with pytest.raises(PlatformError) as caught:
        call(**kwargs)
    assert caught.value.code == code
    assert caught.value.field == field
    return caught.value


def born_on(walk, birthday):
    """The personal information form of the walk's person, with an ID number for `birthday`."""
    return subject_data("personal", walk.admin, id_number=make_id_number(birthday, sequence=7))


def subject_refused(walk, code, *, data=None):
    """Saving the subject step (the walk's own data unless given) is refused on the ID number."""
    return expect(
        code,
        "id_number",
        services.registration_save_subject,
        actor=walk.actor,
        registration=walk.registration,
        data=walk.data if data is None else data,
    )


def sms_refused_for_phone_quota(walk, phone):
    return expect(
        AccountError.PHONE_QUOTA,
        "phone",
        services.registration_send_sms,
        actor=walk.actor,
        registration=walk.registration,
        phone=phone,
    )


def sixth_confirmation_refused(walks, snapshot, code, field):
    """Confirm the first five drafts; the sixth confirmation is refused and changes nothing.
    Returns the refused walk."""
    for walk in walks[:5]:
        walk.to("confirmed")
    last = walks[5]
    before = snapshot(last)
    expect(
        code,
        field,
        registration_confirm,
        actor=last.actor,
        registration=last.registration,
    )
    assert snapshot(last) == before
    return last


def test_a_personal_registration_becomes_active_with_the_person_as_administrator(drive):
    """REG-5: name, ID number, phone and scan make an active personal mini program."""
    walk = drive("confirmed")
    subject = Subject.objects.get(registration=walk.registration)
    assert walk.registration.status == RegistrationStatus.ACTIVE
    assert (subject.name, subject.id_number) == (walk.admin.real_name, walk.admin.id_number)
    assert (subject.admin_name, subject.admin_id_number) == (subject.name, subject.id_number)
    assert subject.admin_phone == walk.phone
    assert subject.admin_identity == walk.admin
    assert MiniProgram.objects.get(account=walk.account).admin_identity == walk.admin


def test_an_invalid_id_number_is_refused(drive, snapshot):
    """REG-5: the ID number is validated."""
    walk = drive("activated")
    before = snapshot(walk)
    subject_refused(
        walk,
        CoreError.ID_NUMBER_INVALID,
        data={**walk.data, "id_number": with_wrong_check_character(walk.data["id_number"])},
    )
    assert snapshot(walk) == before


def test_a_person_turning_eighteen_today_may_register(drive):
    """REG-5: adults (18 or over) only; the birthday itself counts."""
    with time_machine.travel(TODAY, tick=False):
        walk = drive("activated")
        data = born_on(walk, date(2007, 6, 15))
        services.registration_save_subject(
            actor=walk.actor, registration=walk.registration, data=data
        )
        assert (
            Draft.objects.get(registration=walk.registration).data["id_number"] == data["id_number"]
        )


def test_a_person_turning_eighteen_tomorrow_is_refused(drive, snapshot):
    """REG-5: one day short of 18 is a minor."""
    with time_machine.travel(TODAY, tick=False):
        walk = drive("activated")
        data = born_on(walk, date(2007, 6, 16))
        before = snapshot(walk)
        error = subject_refused(walk, IdentityError.IDENTITY_UNDERAGE, data=data)
        assert error.params["age"] == 18
        assert snapshot(walk) == before


def test_an_id_number_registers_at_most_five_mini_programs(drive, snapshot, make_identity):
    """REG-5: a sixth mini program for the same ID number is refused at the subject step."""
    person = make_identity()
    for _ in range(5):
        drive(admin=person)
    assert id_quota_remaining(ids.digest(person.id_number)) == 0
    walk = drive("activated", admin=person)
    before = snapshot(walk)
    error = subject_refused(walk, AccountError.ID_NUMBER_QUOTA)
    assert error.params["limit"] == 5
    assert snapshot(walk) == before
    assert Subject.objects.filter(admin_id_digest=ids.digest(person.id_number)).count() == 5


def test_an_id_number_place_is_taken_only_at_confirmation(drive, snapshot, make_identity):
    """REG-5: drafts take no place; the confirmation that finds none left is refused whole."""
    person = make_identity()
    walks = [drive("checked", admin=person) for _ in range(6)]
    assert id_quota_remaining(ids.digest(person.id_number)) == 5
    last = sixth_confirmation_refused(walks, snapshot, AccountError.ID_NUMBER_QUOTA, "id_number")
    assert last.registration.status == RegistrationStatus.PENDING_INFORMATION
    assert phone_quota_remaining(last.phone) == 5


def test_a_phone_registers_at_most_five_mini_programs(drive, snapshot):
    """REG-5: the sixth registration cannot even get a code to that phone."""
    phone = "13912345678"
    for _ in range(5):
        drive(phone=phone)
    assert phone_quota_remaining(phone) == 0
    walk = drive("subject", phone=phone)
    before = snapshot(walk)
    error = sms_refused_for_phone_quota(walk, phone)
    assert error.params["limit"] == 5
    expect(
        AccountError.PHONE_QUOTA,
        "phone",
        services.registration_save_admin,
        actor=walk.actor,
        registration=walk.registration,
        phone=phone,
        sms_code="123456",
    )
    assert snapshot(walk) == before


def test_a_phone_place_is_taken_only_at_confirmation(drive, snapshot):
    """REG-5: six drafts may verify one phone; the sixth confirmation is refused whole."""
    phone = "13912345678"
    walks = [drive("checked", phone=phone) for _ in range(6)]
    sixth_confirmation_refused(walks, snapshot, AccountError.PHONE_QUOTA, "phone")


def test_confirmation_takes_one_id_number_place_and_one_phone_place(drive):
    """REG-5: the counters move at confirmation, by one each."""
    walk = drive("checked")
    digest = ids.digest(walk.admin.id_number)
    assert (id_quota_remaining(digest), phone_quota_remaining(walk.phone)) == (5, 5)
    walk.to("confirmed")
    assert (id_quota_remaining(digest), phone_quota_remaining(walk.phone)) == (4, 4)


def test_the_limits_follow_the_policy_rows(drive, snapshot, make_identity):
    """REG-5: operators tune the per-ID-number and per-phone limits."""
    PolicyOverride.objects.create(key="registration.id_number_max_miniprograms", value=1)
    PolicyOverride.objects.create(key="registration.phone_max_miniprograms", value=1)
    policy.forget_cached()
    person = make_identity()
    first = drive(admin=person)
    walk = drive("activated", admin=person)
    before = snapshot(walk)
    error = subject_refused(walk, AccountError.ID_NUMBER_QUOTA)
    assert error.params["limit"] == 1
    sms_refused_for_phone_quota(walk, first.phone)
    assert snapshot(walk) == before


def test_the_personal_subject_is_its_own_administrator(drive):
    """REG-5: for a personal subject the administrator fields come from the subject, whatever
    else is sent."""
    walk = drive("sms_sent")
    services.registration_save_admin(
        actor=walk.actor,
        registration=walk.registration,
        admin_name="李四",
        admin_id_number="110101199001011237",
        phone=walk.phone,
        sms_code=sms_code(walk.phone),
    )
    data = Draft.objects.get(registration=walk.registration).data
    assert (data["admin_name"], data["admin_id_number"]) == (
        walk.admin.real_name,
        walk.admin.id_number,
    )
