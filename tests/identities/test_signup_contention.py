"""issue 10 item 1 under contention, with real threads on a shared database (a file
SQLite database or PostgreSQL): one SMS code makes one identity, and the count of
identities per ID number holds when sign-ups of one ID number arrive at once."""

from __future__ import annotations

import pytest

from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.identities import signup
from miniport.identities.errors import IdentityError
from miniport.identities.models import Identity, IdentitySmsCode
from tests.core.concurrency import assert_shared_database, run_concurrently
from tests.identities.support_signup import ID_NUMBER, PHONE, fields, last_code, override

pytestmark = pytest.mark.django_db(transaction=True)


def _send(phone: str) -> str:
    signup.signup_send_sms(actor=Actor.anonymous(), phone=phone, ip="")
    return last_code(phone)


def _sign_up(**given) -> Identity:
    return signup.identity_sign_up(actor=Actor.anonymous(), **fields(**given))


def test_one_code_used_by_parallel_sign_ups_makes_one_identity():
    """issue 10 item 1: the code is single-use even when sign-ups race for it."""
    assert_shared_database()
    code = _send(PHONE)

    outcomes = run_concurrently(6, lambda i: _sign_up(wechat_id=f"racer_{i:02d}", sms_code=code))

    made = [o for o in outcomes if isinstance(o, Identity)]
    refused = [o for o in outcomes if isinstance(o, PlatformError)]
    assert len(made) == 1 and len(refused) == 5, outcomes
    assert {r.code for r in refused} <= {
        IdentityError.SMS_CODE_INVALID,
        IdentityError.PHONE_TAKEN,
    }
    assert Identity.objects.count() == 1
    assert IdentitySmsCode.objects.get().used_at is not None


def test_parallel_sign_ups_of_one_id_number_stop_at_the_policy_row(make_identity):
    """issue 10 item 1: signup.max_identities_per_id_number holds under contention."""
    assert_shared_database()
    override("signup.max_identities_per_id_number", 2)
    make_identity("first_account", id_number=ID_NUMBER)
    phones = [f"1390000{n:04d}" for n in range(8)]
    codes = [_send(phone) for phone in phones]

    outcomes = run_concurrently(
        8,
        lambda i: _sign_up(wechat_id=f"racer_{i:02d}", phone=phones[i], sms_code=codes[i]),
    )

    made = [o for o in outcomes if isinstance(o, Identity)]
    refused = [o for o in outcomes if isinstance(o, PlatformError)]
    assert len(made) == 1 and len(refused) == 7, outcomes
    assert {r.code for r in refused} == {IdentityError.ID_NUMBER_QUOTA}
    assert Identity.objects.count() == 2
    # The refused sign-ups used no code.
    assert IdentitySmsCode.objects.filter(used_at__isnull=False).count() == 1
