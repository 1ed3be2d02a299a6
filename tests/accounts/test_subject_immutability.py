"""REG-9: after the final confirmation the subject information never changes: every
service that edits the draft refuses, and the Subject row refuses identity changes."""

import pytest
from django.utils import timezone

from miniport.accounts import services
from miniport.accounts.errors import AccountError
from miniport.accounts.models import RegistrationStatus, Subject
from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.miniprograms.models import MiniProgram
from miniport.miniprograms.services import registration_confirm
from tests.accounts.conftest import subject_data

EDITS = {
    "save_subject": lambda w: services.registration_save_subject(
        actor=w.actor, registration=w.registration, data=subject_data("enterprise")
    ),
    "send_sms": lambda w: services.registration_send_sms(
        actor=w.actor, registration=w.registration, phone="13800000009"
    ),
    "save_admin": lambda w: services.registration_save_admin(
        actor=w.actor,
        registration=w.registration,
        admin_name="王五",
        admin_id_number=w.admin.id_number,
        phone=w.phone,
        sms_code="123456",
    ),
    "request_admin_check": lambda w: services.registration_request_admin_check(
        registration=w.registration, session_key=w.session_key
    ),
    "complete_admin_check": lambda w: services.registration_complete_admin_check(
        actor=w.actor, registration=w.registration, session_key=w.session_key
    ),
    "confirm": lambda w: registration_confirm(actor=w.actor, registration=w.registration),
}
IDENTITY_FIELDS = {
    "country": "HK",
    "subject_type": "media",
    "verification_method": "none",
    "name": "另一个名字",
    "id_number": "110101199001011237",
    "credit_code": "91110000MA0000000X",
    "admin_name": "王五",
    "admin_id_number": "110101199001011237",
    "admin_phone": "13800000009",
}


def subject_values(walk):
    return (
        Subject.objects.filter(registration=walk.registration)
        .values(*Subject.IMMUTABLE_FIELDS)
        .get()
    )


@pytest.mark.parametrize("subject_type", ["personal", "enterprise", "government"])
@pytest.mark.parametrize("edit", sorted(EDITS))
def test_every_draft_service_refuses_once_the_subject_is_confirmed(
    drive, snapshot, subject_type, edit
):
    """REG-9: after confirmation each editing step answers SUBJECT_IMMUTABLE and changes nothing."""
    walk = drive(subject_type=subject_type)
    before, subject_before = snapshot(walk), subject_values(walk)
    with pytest.raises(PlatformError) as caught:
        EDITS[edit](walk)
    assert caught.value.code == AccountError.SUBJECT_IMMUTABLE
    assert snapshot(walk) == before
    assert subject_values(walk) == subject_before


@pytest.mark.parametrize("edit", ["save_subject", "confirm"])
def test_a_failed_registration_stays_immutable(drive, snapshot, edit):
    """REG-9: a failed registration does not reopen its information."""
    walk = drive(subject_type="enterprise")
    services.registration_fail(
        actor=Actor.system("tests"), registration=walk.registration, reason="fraud"
    )
    before = snapshot(walk)
    with pytest.raises(PlatformError) as caught:
        EDITS[edit](walk)
    assert caught.value.code == AccountError.SUBJECT_IMMUTABLE
    assert snapshot(walk) == before


def test_a_second_confirmation_with_a_stale_registration_is_refused(drive, snapshot):
    """REG-9: a confirmation from a second tab, holding the old state, creates nothing."""
    walk = drive("checked", subject_type="enterprise")
    stale = walk.registration
    registration_confirm(actor=walk.actor, registration=walk.registration)
    before = snapshot(walk)
    with pytest.raises(PlatformError) as caught:
        registration_confirm(actor=walk.actor, registration=stale)
    assert caught.value.code == AccountError.SUBJECT_IMMUTABLE
    assert snapshot(walk) == before
    assert MiniProgram.objects.filter(account=walk.account).count() == 1


def test_the_subject_is_written_only_at_confirmation(drive):
    """REG-9: until the confirmation the information is a draft; then the subject and the
    mini program exist."""
    walk = drive("checked")
    assert not Subject.objects.exists() and not MiniProgram.objects.exists()
    walk.to("confirmed")
    subject = Subject.objects.get(registration=walk.registration)
    assert subject.confirmed_at == walk.registration.confirmed_at is not None
    assert walk.registration.status == RegistrationStatus.ACTIVE


@pytest.mark.parametrize(("field", "value"), sorted(IDENTITY_FIELDS.items()))
def test_a_confirmed_subject_refuses_a_changed_identity_field(drive, field, value):
    """REG-9: the model itself refuses to save a changed identity field."""
    walk = drive(subject_type="enterprise")
    stored = subject_values(walk)
    subject = Subject.objects.get(registration=walk.registration)
    setattr(subject, field, value)
    with pytest.raises(PlatformError) as caught:
        subject.save()
    assert caught.value.code == AccountError.SUBJECT_IMMUTABLE
    assert subject_values(walk) == stored


def test_a_confirmed_subject_cannot_lose_its_confirmation(drive):
    """REG-9: clearing confirmed_at would reopen the fields; it is refused too."""
    walk = drive()
    subject = Subject.objects.get(registration=walk.registration)
    subject.confirmed_at = None
    with pytest.raises(PlatformError):
        subject.save()
    assert Subject.objects.get(pk=subject.pk).confirmed_at is not None


@pytest.mark.parametrize("field", ["name", "admin_phone", "confirmed_at"])
def test_bulk_updates_of_identity_fields_are_refused(drive, field):
    """REG-9: the rule also holds for queryset updates."""
    walk = drive()
    stored = subject_values(walk)
    with pytest.raises(PlatformError) as caught:
        Subject.objects.filter(registration=walk.registration).update(
            **{field: None if field == "confirmed_at" else "x"}
        )
    assert caught.value.code == AccountError.SUBJECT_IMMUTABLE
    assert subject_values(walk) == stored


def test_certification_still_updates_a_confirmed_subject(drive):
    """REG-9: only identity fields are frozen; the certification date is recorded later."""
    walk = drive(subject_type="media")
    subject = Subject.objects.get(registration=walk.registration)
    subject.certified_at = timezone.now()
    subject.save(update_fields=["certified_at"])
    Subject.objects.filter(pk=subject.pk).update(certified_at=None)
    assert Subject.objects.get(pk=subject.pk).certified_at is None
