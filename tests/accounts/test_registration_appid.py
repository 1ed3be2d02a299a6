"""The registration records the AppID of the mini program it opened (REG-9), and every
audit row and event about it carries that AppID, before and after verification (REG-6,
REG-7, REG-10, REG-11)."""

import pytest

from miniport.accounts import services
from miniport.accounts.models import Registration, RegistrationStatus, VerificationMethod
from miniport.core.actors import Actor
from miniport.core.models import AuditEntry, OutboxEvent
from miniport.miniprograms.models import MiniProgram
from miniport.miniprograms.selectors import login_bound_identity
from tests.accounts.conftest import PASSWORD

REGISTRATION_ACTIONS = ("registration.transition", "registration.confirm")
REGISTRATION_EVENTS = ("registration.status_changed", "registration.confirmed")


def appid_of(walk) -> str:
    return MiniProgram.objects.get(account=walk.account).appid


def rows_of(registration: Registration):
    return AuditEntry.objects.filter(
        action__in=REGISTRATION_ACTIONS, target_id=str(registration.pk)
    ).order_by("id")


def events_of(registration: Registration):
    return [
        event
        for event in OutboxEvent.objects.filter(kind__in=REGISTRATION_EVENTS).order_by("id")
        if event.payload.get("registration") == registration.pk
    ]


@pytest.mark.parametrize(
    ("subject_type", "options", "status"),
    [
        ("personal", {}, RegistrationStatus.ACTIVE),
        ("enterprise", {}, RegistrationStatus.PENDING_REMITTANCE),
        (
            "enterprise",
            {"verification_method": VerificationMethod.CERTIFICATION},
            RegistrationStatus.PENDING_CERTIFICATION,
        ),
    ],
)
def test_the_confirmation_records_the_appid_on_its_rows_and_events(
    drive, subject_type, options, status
):
    """REG-9: the confirmation's transition and confirmation rows and events carry the
    AppID of the mini program it opened, and the registration keeps it."""
    walk = drive(subject_type=subject_type, **options)
    registration = walk.registration
    appid = appid_of(walk)
    assert registration.status == status
    assert registration.appid == appid
    # The activation came before anything was opened; the confirmation's rows name it.
    assert [(row.action, row.appid) for row in rows_of(registration)] == [
        ("registration.transition", ""),
        ("registration.transition", appid),
        ("registration.confirm", appid),
    ]
    assert [(event.kind, event.appid) for event in events_of(registration)] == [
        ("registration.status_changed", ""),
        ("registration.status_changed", appid),
        ("registration.confirmed", appid),
    ]


def test_a_later_verification_still_carries_the_appid(drive):
    """REG-6 / REG-11: the operator's decision, long after the confirmation, is recorded
    with the AppID too."""
    walk = drive(subject_type="enterprise")
    services.registration_verify(actor=Actor.system("tests"), registration=walk.registration)
    last = rows_of(walk.registration).filter(action="registration.transition").last()
    assert last.after["status"] == RegistrationStatus.ACTIVE
    assert last.appid == appid_of(walk)


def test_a_failed_registration_is_recorded_with_the_appid(drive):
    """REG-7 / REG-11: the failure of a certification registration names its AppID."""
    walk = drive(subject_type="government")
    services.registration_fail(
        actor=Actor.system("tests"), registration=walk.registration, reason="no documents"
    )
    last = rows_of(walk.registration).filter(action="registration.transition").last()
    assert last.after["status"] == RegistrationStatus.FAILED
    assert last.appid == appid_of(walk)


def test_before_the_confirmation_there_is_no_appid(drive):
    """REG-9: activation and the information steps open nothing yet."""
    walk = drive("checked")
    assert walk.registration.appid == ""
    assert not MiniProgram.objects.filter(account=walk.account).exists()


def test_the_console_login_is_recorded_with_the_appid(drive):
    """REG-10: the login's audit row carries the AppID the registration opened."""
    walk = drive()
    services.login_check_password(email=walk.email, password=PASSWORD, ip="203.0.113.5")
    services.login_finish(account=walk.account, identity=login_bound_identity(walk.account))
    row = AuditEntry.objects.filter(action="account.login").last()
    assert row.appid == appid_of(walk)


def test_a_provisioned_mini_program_records_its_appid_on_the_registration(provision):
    """REG-9: the one-step provisioning (CLI, demo, tests) opens its mini program the same
    way: the registration keeps the AppID."""
    app = provision("enterprise", certified=True)
    registration = Registration.objects.get(account=app.miniprogram.account)
    assert registration.appid == app.miniprogram.appid
    assert registration.status == RegistrationStatus.ACTIVE


def test_the_migration_gives_earlier_registrations_their_appid(provision):
    """REG-9: registrations confirmed before the AppID was recorded take their mini
    program's AppID when the schema is migrated."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("miniport.accounts.migrations.0002_registration_appid")
    app = provision()
    Registration.objects.update(appid="")
    migration.fill_appids(apps, None)
    registration = Registration.objects.get(account=app.miniprogram.account)
    assert registration.appid == app.miniprogram.appid
