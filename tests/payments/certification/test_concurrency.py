"""CER-2 under real concurrency (threads, real transactions; a file SQLite database and
PostgreSQL): a fee notified ten times at once opens one review; a remittance racing the
sandbox payment is taken once; applications racing for one mini program make one; two
reminder sweeps at once send each reminder once."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.core.models import AuditEntry, OutboxEvent
from miniport.payments.certification import services
from miniport.payments.certification.errors import CertificationError
from miniport.payments.certification.reminders import certification_reminders_send
from miniport.payments.models import CertificationApplication
from miniport.review.models import Review
from tests.core.concurrency import assert_shared_database, run_concurrently
from tests.payments.certification.support import STAFF, apply

pytestmark = pytest.mark.django_db(transaction=True)


def test_cer2_ten_racing_fee_notifications_open_one_review(provision):
    assert_shared_database()
    application = apply(provision("enterprise").miniprogram)

    def paid(index: int) -> bool:
        return services.certification_fee_paid(
            actor=Actor.system("race"),
            application=CertificationApplication.objects.get(pk=application.pk),
            channel="sandbox",
            reference=f"T{index}",
        )

    outcomes = run_concurrently(10, paid)
    assert sorted(outcomes, key=str) == [False] * 9 + [True], outcomes
    assert Review.objects.filter(kind="certification").count() == 1
    assert AuditEntry.objects.filter(action="certification.fee_paid").count() == 1
    assert OutboxEvent.objects.filter(kind="certification.fee_paid").count() == 1


def test_cer2_a_remittance_racing_the_payment_is_taken_once(provision):
    assert_shared_database()
    application = apply(provision("enterprise").miniprogram)

    def settle(index: int):
        current = CertificationApplication.objects.get(pk=application.pk)
        if index % 2:
            return services.certification_fee_paid(
                actor=Actor.system("race"), application=current, channel="sandbox", reference="T"
            )
        services.certification_fee_record_remittance(
            actor=STAFF, application=current, reference=f"BANK-{index}"
        )
        return True

    outcomes = run_concurrently(6, settle)
    wins = [o for o in outcomes if o is True]
    refused = [o for o in outcomes if isinstance(o, PlatformError)]
    assert len(wins) == 1, outcomes
    assert all(e.code == CertificationError.FEE_NOT_DUE for e in refused)
    assert not [o for o in outcomes if isinstance(o, Exception) and o not in refused]
    assert Review.objects.filter(kind="certification").count() == 1


def test_cer1_racing_applications_make_one(provision):
    assert_shared_database()
    mp = provision("enterprise").miniprogram

    def application(index: int):
        return apply(mp).pk

    outcomes = run_concurrently(5, application)
    made = [o for o in outcomes if isinstance(o, int)]
    refused = [o for o in outcomes if isinstance(o, PlatformError)]
    assert len(made) == 1, outcomes
    assert len(refused) == 4 and {e.code for e in refused} == {CertificationError.APPLICATION_OPEN}
    assert CertificationApplication.objects.filter(miniprogram=mp).count() == 1


def test_cer1_racing_reminder_sweeps_send_each_reminder_once(provision):
    assert_shared_database()
    mp = provision("enterprise", certified=True).miniprogram
    with time_machine.travel(mp.subject.certified_until - timedelta(days=7), tick=False):
        outcomes = run_concurrently(4, lambda index: certification_reminders_send())
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sum(outcomes) == 1
    assert OutboxEvent.objects.filter(kind="certification.reminder").count() == 1
