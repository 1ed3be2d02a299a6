"""issue 10 item 1: the SMS code of the sign-up on the phone pages. The SMS backend writes
the message; only digests are stored; resends are throttled per phone and per address by
policy rows; a refused request sends and stores nothing."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from miniport.core import ids, sms
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.core.models import AuditEntry
from miniport.identities import signup
from miniport.identities.errors import IdentityError
from miniport.identities.models import IdentitySmsCode
from tests.identities.support_signup import PHONE, last_code, override, snapshot

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 12, 6, 9, 0, tzinfo=ZoneInfo("UTC"))
IP = "203.0.113.20"


def send(phone: str = PHONE, ip: str = IP) -> None:
    signup.signup_send_sms(actor=Actor.anonymous(), phone=phone, ip=ip)


def refused(code, field="phone", **kwargs):
    before = snapshot()
    with pytest.raises(PlatformError) as caught:
        send(**kwargs)
    assert caught.value.code is code
    assert caught.value.field == field
    assert snapshot() == before
    return caught.value


def test_a_code_is_written_by_the_sms_backend_and_stored_only_as_digests():
    """issue 10 item 1: the code goes out through the SMS backend (var/sms/); the table
    holds neither the code nor the phone in clear."""
    send(" 138-1234-5678 ")
    code = last_code()
    assert len(code) == 6
    row = IdentitySmsCode.objects.get()
    assert row.phone_digest == ids.digest(PHONE)
    assert row.code_digest == ids.digest(code)
    stored = " ".join(str(value) for value in IdentitySmsCode.objects.values_list().get())
    assert PHONE not in stored and code not in stored
    entry = AuditEntry.objects.get(action="identity.signup_sms_sent")
    assert PHONE not in str(entry.after)


def test_the_code_lives_for_the_policy_row():
    """issue 10 item 1: short-lived, signup.sms_code_ttl_seconds."""
    override("signup.sms_code_ttl_seconds", 120)
    with time_machine.travel(T0, tick=False):
        send()
    row = IdentitySmsCode.objects.get()
    assert row.expires_at - row.created_at == timedelta(seconds=120)


@pytest.mark.parametrize(
    "phone", ["", "12345", "23812345678", "1381234567x", None, ["13812345678"]]
)
def test_what_is_no_mobile_number_is_refused(phone):
    """issue 10 item 1: the phone is a mainland mobile number."""
    refused(CoreError.PHONE_INVALID, phone=phone)


def test_a_phone_bound_to_an_identity_gets_no_code(make_identity):
    """issue 10 item 1: one phone per identity."""
    make_identity("bound_phone", phone=PHONE)
    refused(IdentityError.PHONE_TAKEN)


def test_a_resend_waits_for_the_interval():
    """issue 10 item 1: signup.sms_resend_interval_seconds between two codes to a phone."""
    with time_machine.travel(T0, tick=False):
        send()
    with time_machine.travel(T0 + timedelta(seconds=59), tick=False):
        error = refused(IdentityError.SMS_TOO_FREQUENT)
        assert error.params["seconds"] == 1
    with time_machine.travel(T0 + timedelta(seconds=60), tick=False):
        send()
    assert IdentitySmsCode.objects.count() == 2
    assert len(sms.messages_to(PHONE)) == 2


def test_a_phone_gets_at_most_the_policy_rows_codes_in_the_window():
    """issue 10 item 1: signup.sms_max_per_phone in signup.sms_window_seconds."""
    override("signup.sms_resend_interval_seconds", 0)
    override("signup.sms_max_per_phone", 3)
    for minute in range(3):
        with time_machine.travel(T0 + timedelta(minutes=minute), tick=False):
            send()
    with time_machine.travel(T0 + timedelta(minutes=10), tick=False):
        error = refused(IdentityError.SMS_TOO_FREQUENT)
        assert error.params["seconds"] == 50 * 60
    with time_machine.travel(T0 + timedelta(hours=1, seconds=1), tick=False):
        send()


def test_an_address_asks_for_at_most_the_policy_rows_codes_in_the_window():
    """issue 10 item 1: signup.sms_max_per_address, whatever the phones."""
    override("signup.sms_max_per_address", 2)
    with time_machine.travel(T0, tick=False):
        send("13800000001")
        send("13800000002")
        refused(IdentityError.SMS_TOO_FREQUENT)
        send(ip="198.51.100.9")  # another address still may
