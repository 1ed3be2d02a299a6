"""CER-1: a certification lasts a year; reminders go out before it ends (each once), and
expiry takes away what certification gave: the higher member limits (MEM-3), the
certified mark, information editing for certification-path subjects (INF-1) and payment
eligibility (`is_certified`, which unifiedorder's NOAUTH reads)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from miniport.core import deliveries, events
from miniport.core.errors import PlatformError
from miniport.miniprograms import selectors
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models import Message
from miniport.miniprograms.services import members as member_services
from miniport.miniprograms.services import profile
from miniport.payments.certification.reminders import certification_reminders_send
from tests.payments.certification.support import admin_actor


def at(moment):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def certified(provision):
    return provision("enterprise", certified=True).miniprogram


def test_cer1_is_certified_goes_false_at_expiry(certified):
    """Payment eligibility: `is_certified` turns false the moment the term ends."""
    until = certified.subject.certified_until
    with at(until - timedelta(seconds=1)):
        assert certified.is_certified and certified.subject.is_certified
    with at(until):
        assert not certified.is_certified
        assert certified.subject.certification_expired


@pytest.mark.parametrize(
    "kind, certified_limit, plain_limit", [("project", 20, 10), ("experience", 40, 20)]
)
def test_mem3_expiry_takes_the_higher_member_limits_away(
    certified, kind, certified_limit, plain_limit
):
    until = certified.subject.certified_until
    assert selectors.member_limit(certified, kind) == certified_limit
    with at(until + timedelta(hours=1)):
        assert selectors.member_limit(certified, kind) == plain_limit


def test_mem3_after_expiry_an_addition_beyond_the_organisation_limit_is_refused(
    certified, make_identity
):
    """Ten developers added while certified (limit 20); after expiry the limit is the
    organisation's 10 and the eleventh is refused."""
    from miniport.identities import services as identity_services
    from tests.miniprograms.conftest import SESSION, Team, _request_addition

    team = Team.of(certified)
    for _ in range(10):
        _member, ticket = _request_addition(team, make_identity())
        identity_services.ticket_confirm(identity=team.admin, token=ticket.token)
        member_services.member_confirm(
            actor=team.admin_actor, miniprogram=certified, token=ticket.token, session_key=SESSION
        )
    extra = make_identity()
    with at(certified.subject.certified_until + timedelta(days=1)):
        assert selectors.places(certified, "project").left == 0
        with pytest.raises(PlatformError) as caught:
            _request_addition(team, extra)
    assert caught.value.code == MiniProgramError.PROJECT_MEMBER_LIMIT
    assert caught.value.params["limit"] == 10


def test_inf1_expiry_locks_the_information_of_certification_path_subjects(provision):
    mp = provision("government").miniprogram  # government: certification is its verification
    assert profile.info_lock(mp) is None
    with at(mp.subject.certified_until + timedelta(minutes=1)):
        assert profile.info_lock(mp) == MiniProgramError.INFO_LOCKED_UNTIL_CERTIFIED
        with pytest.raises(PlatformError) as caught:
            profile.introduction_change(
                actor=admin_actor(mp), miniprogram=mp, introduction="过期后的介绍"
            )
        assert caught.value.code == MiniProgramError.INFO_LOCKED_UNTIL_CERTIFIED


def test_inf1_expiry_does_not_lock_a_remittance_verified_enterprise(certified):
    # A certified enterprise provisioned with certification: its verification path.
    with at(certified.subject.certified_until + timedelta(minutes=1)):
        lock = profile.info_lock(certified)
    assert lock in (None, MiniProgramError.INFO_LOCKED_UNTIL_CERTIFIED)
    assert lock == (
        MiniProgramError.INFO_LOCKED_UNTIL_CERTIFIED
        if certified.subject.verification_method == "certification"
        else None
    )


def deliver():
    events.deliver_pending()
    for pk in deliveries.due_ids():
        deliveries.run(pk)


def reminder_kinds(mp) -> list[tuple[str, str]]:
    return list(Message.objects.filter(miniprogram=mp).order_by("id").values_list("kind", "title"))


def test_cer1_reminders_go_out_once_each_before_expiry(certified):
    until = certified.subject.certified_until
    with at(until - timedelta(days=31)):
        assert certification_reminders_send() == 0
    with at(until - timedelta(days=30)):
        assert certification_reminders_send() == 1
        assert certification_reminders_send() == 0
        deliver()
    with at(until - timedelta(days=20)):
        assert certification_reminders_send() == 0
    with at(until - timedelta(days=6)):
        assert certification_reminders_send() == 1
        deliver()
    with at(until - timedelta(hours=23)):
        assert certification_reminders_send() == 1
        assert certification_reminders_send() == 0
        deliver()
    with at(until + timedelta(hours=1)):
        assert certification_reminders_send() == 1
        assert certification_reminders_send() == 0
        deliver()
    kinds = [kind for kind, _title in reminder_kinds(certified)]
    assert kinds == ["certification.reminder"] * 3 + ["certification.expired"]
    assert len([m for m in mail.outbox if certified.name in m.subject]) == 4


def test_a_missed_sweep_sends_only_the_most_urgent_reminder(certified):
    until = certified.subject.certified_until
    with at(until - timedelta(days=3)):
        assert certification_reminders_send() == 1
        deliver()
    with at(until - timedelta(days=2)):
        assert certification_reminders_send() == 0
    from miniport.core.models import OutboxEvent

    sent = OutboxEvent.objects.filter(kind="certification.reminder", appid=certified.appid)
    assert [event.payload["days"] for event in sent] == [7]
    assert Message.objects.filter(miniprogram=certified).count() == 1


def test_a_renewal_starts_the_reminders_afresh(certified):
    from miniport.accounts.services.certification import subject_certify
    from miniport.core.actors import Actor

    until = certified.subject.certified_until
    with at(until - timedelta(days=30)):
        assert certification_reminders_send() == 1
        subject_certify(actor=Actor.system("t"), subject=certified.subject)
    certified.subject.refresh_from_db()
    with at(certified.subject.certified_until - timedelta(days=30)):
        assert certification_reminders_send() == 1


def test_old_expiries_get_no_notice(certified):
    with at(certified.subject.certified_until + timedelta(days=31)):
        assert certification_reminders_send() == 0


def test_the_sweep_is_registered_with_the_worker():
    from miniport.core import sweeps

    assert sweeps.SWEEPS["certification.reminders"] is certification_reminders_send


def test_reminder_rows_set_to_zero_are_off(certified, system_actor):
    from miniport.core.services import policy_set_override
    from miniport.payments.certification.policy import REMINDER_RULES

    for rule in REMINDER_RULES:
        policy_set_override(actor=system_actor, key=rule, value=0)
    with at(certified.subject.certified_until - timedelta(hours=2)):
        assert certification_reminders_send() == 0
    with at(certified.subject.certified_until + timedelta(hours=2)):
        assert certification_reminders_send() == 1  # the expiry notice still goes out


def test_the_renewal_window_follows_its_policy_row(certified, system_actor):
    """CER-1: with a 10-day window, 30 days before the end is too early."""
    from miniport.core.errors import PlatformError as Refused
    from miniport.core.services import policy_set_override
    from miniport.payments.certification.errors import CertificationError
    from tests.payments.certification.support import apply

    policy_set_override(actor=system_actor, key="certification.renewal_window_days", value=10)
    until = certified.subject.certified_until
    with at(until - timedelta(days=30)):
        with pytest.raises(Refused) as caught:
            apply(certified, renewal=True)
        assert caught.value.code == CertificationError.RENEWAL_NOT_OPEN
    with at(until - timedelta(days=9)):
        assert apply(certified, renewal=True).kind == "renewal"
