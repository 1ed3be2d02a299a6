"""REG-5 / REG-8: the administrator's identity is verified by a QR scan from a real-name,
adult identity with the same name and ID number, used by the browser session that asked."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from miniport.accounts import services
from miniport.accounts.errors import AccountError
from miniport.accounts.models import Draft
from miniport.core.errors import CoreError, PlatformError
from miniport.core.validators import make_id_number
from miniport.identities import services as identity_services
from miniport.identities.errors import IdentityError
from miniport.identities.models import QrTicket, TicketStatus
from miniport.miniprograms.services import registration_confirm
from tests.accounts.conftest import sms_code

START = datetime(2025, 6, 15, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def request(walk, session_key=None):
    return services.registration_request_admin_check(
        registration=walk.registration, session_key=session_key or walk.session_key
    )


def complete(walk, session_key=None):
    return services.registration_complete_admin_check(
        actor=walk.actor,
        registration=walk.registration,
        session_key=session_key or walk.session_key,
    )


def expect(code, call, *args, **kwargs):
    with pytest.raises(PlatformError) as caught:
        call(*args, **kwargs)
    assert caught.value.code == code
    return caught.value


@pytest.mark.parametrize("subject_type", ["personal", "enterprise", "government"])
def test_a_matching_real_name_adult_identity_passes_the_scan(drive, subject_type):
    """REG-5 / REG-8: the scanning identity becomes the draft's administrator."""
    walk = drive("checked", subject_type=subject_type)
    draft = Draft.objects.get(registration=walk.registration)
    assert draft.admin_identity == walk.admin
    assert QrTicket.objects.get(token=walk.ticket.token).status == TicketStatus.CONSUMED


def test_the_scan_asks_for_the_administrator_name_and_id_number(drive):
    """REG-5: the ticket carries what the identity must match, the ID number only as a digest."""
    walk = drive("admin")
    ticket = request(walk)
    assert ticket.purpose == "admin_check"
    assert ticket.requirements["real_name"] == walk.admin.real_name
    assert walk.admin.id_number not in str(ticket.requirements)


def test_the_scan_cannot_be_requested_before_the_administrator_is_known(drive, snapshot):
    """REG-8: "fill in the administrator's identity first"."""
    walk = drive("subject", subject_type="enterprise")
    before = snapshot(walk)
    expect(CoreError.FIELD_REQUIRED, request, walk)
    assert snapshot(walk) == before


def refused_scan(walk, snapshot, scanner, code):
    ticket = request(walk)
    before = snapshot(walk)
    expect(code, identity_services.ticket_confirm, identity=scanner, token=ticket.token)
    assert QrTicket.objects.get(pk=ticket.pk).status == TicketStatus.PENDING
    expect(IdentityError.TICKET_PENDING, complete, walk)
    assert snapshot(walk) == before
    assert Draft.objects.get(registration=walk.registration).admin_identity is None


def test_an_identity_without_real_name_verification_cannot_confirm(drive, snapshot, make_identity):
    """REG-5: the scan must come from a real-name identity."""
    walk = drive("admin")
    refused_scan(
        walk,
        snapshot,
        make_identity(real_name="", id_number=""),
        IdentityError.IDENTITY_NOT_REAL_NAME,
    )


def test_an_identity_with_another_id_number_cannot_confirm(drive, snapshot, make_identity):
    """REG-5: same name is not enough, the ID number must match too."""
    walk = drive("admin")
    refused_scan(
        walk,
        snapshot,
        make_identity(real_name=walk.admin.real_name),
        IdentityError.IDENTITY_MISMATCH,
    )


def test_an_identity_with_another_name_cannot_confirm(drive, snapshot, make_identity):
    """REG-5: the real name must be the administrator's."""
    walk = drive("admin")
    impostor = make_identity(real_name="李四", id_number=walk.admin.id_number)
    refused_scan(walk, snapshot, impostor, IdentityError.IDENTITY_MISMATCH)


def test_an_underage_identity_cannot_confirm(drive, snapshot, make_identity):
    """REG-5 / REG-8: the scanning identity must be an adult."""
    walk = drive("admin", subject_type="media")
    minor = make_identity(born=date(2015, 3, 1))
    refused_scan(walk, snapshot, minor, IdentityError.IDENTITY_UNDERAGE)


def test_the_scan_is_used_only_by_the_browser_session_that_asked(drive, snapshot):
    """REG-5: a confirmed ticket cannot be taken over by another browser."""
    walk = drive("admin")
    ticket = request(walk)
    identity_services.ticket_confirm(identity=walk.admin, token=ticket.token)
    before = snapshot(walk)
    expect(IdentityError.TICKET_FOREIGN_SESSION, complete, walk, "another-browser")
    assert snapshot(walk) == before
    complete(walk)


def test_an_expired_scan_cannot_be_used(drive, snapshot):
    """REG-5: QR tickets are short-lived."""
    with time_machine.travel(START, tick=False) as traveller:
        walk = drive("admin")
        ticket = request(walk)
        identity_services.ticket_confirm(identity=walk.admin, token=ticket.token)
        traveller.shift(timedelta(seconds=180))
        before = snapshot(walk)
        expect(IdentityError.TICKET_EXPIRED, complete, walk)
        assert snapshot(walk) == before


def test_completing_without_a_requested_scan_is_refused(drive, snapshot):
    """REG-5: there is nothing to complete."""
    walk = drive("admin")
    before = snapshot(walk)
    expect(AccountError.IDENTITY_CHECK_REQUIRED, complete, walk)
    assert snapshot(walk) == before


def test_confirmation_without_the_scan_is_refused(drive, snapshot):
    """REG-5: the subject cannot be confirmed before the administrator is verified."""
    walk = drive("admin")
    before = snapshot(walk)
    expect(
        AccountError.IDENTITY_CHECK_REQUIRED,
        registration_confirm,
        actor=walk.actor,
        registration=walk.registration,
    )
    assert snapshot(walk) == before


def test_a_new_administrator_needs_a_new_scan(drive, make_identity):
    """REG-8: a scan vouches for one person; naming another administrator voids it."""
    with time_machine.travel(START, tick=False) as traveller:
        walk = drive("checked", subject_type="enterprise")
        successor = make_identity(real_name="王五")
        traveller.shift(timedelta(seconds=60))
        services.registration_send_sms(
            actor=walk.actor, registration=walk.registration, phone=walk.phone
        )
        services.registration_save_admin(
            actor=walk.actor,
            registration=walk.registration,
            admin_name=successor.real_name,
            admin_id_number=successor.id_number,
            phone=walk.phone,
            sms_code=sms_code(walk.phone),
        )
        draft = Draft.objects.get(registration=walk.registration)
        assert draft.admin_identity is None and draft.admin_check_ticket == ""
        expect(
            AccountError.IDENTITY_CHECK_REQUIRED,
            registration_confirm,
            actor=walk.actor,
            registration=walk.registration,
        )


def test_a_scan_requested_for_an_earlier_administrator_is_not_accepted(drive, make_identity):
    """REG-8: a ticket asked for one administrator cannot complete the check of another."""
    with time_machine.travel(START, tick=False) as traveller:
        walk = drive("admin", subject_type="enterprise")
        ticket = request(walk)
        identity_services.ticket_confirm(identity=walk.admin, token=ticket.token)
        successor = make_identity(
            real_name="王五",
            born=date(1985, 1, 2),
            id_number=make_id_number(date(1985, 1, 2), sequence=9),
        )
        traveller.shift(timedelta(seconds=60))
        services.registration_send_sms(
            actor=walk.actor, registration=walk.registration, phone=walk.phone
        )
        services.registration_save_admin(
            actor=walk.actor,
            registration=walk.registration,
            admin_name=successor.real_name,
            admin_id_number=successor.id_number,
            phone=walk.phone,
            sms_code=sms_code(walk.phone),
        )
        # The old ticket is forgotten with the old administrator.
        expect(AccountError.IDENTITY_CHECK_REQUIRED, complete, walk)
        assert Draft.objects.get(registration=walk.registration).admin_identity is None
