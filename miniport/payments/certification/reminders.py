"""Reminders before a certification runs out, and the notice when it has (CER-1).

Expiry itself needs no sweep: `Subject.is_certified` reads the end of the term, so the
certified mark, the higher member limits (MEM-3), payment and, for certification-path
subjects, information editing (INF-1) fall away the moment it passes. This sweep only
tells the administrator in time: once per reminder row (`policy.REMINDER_RULES`, e.g. 30,
7 and 1 days before) and once at expiry. What was sent is an audit row keyed by the
subject, the end of the term and the days before it; the subject row is locked while
it is checked and written, so two workers never send one reminder twice, and a renewal
(a new end of term) starts the reminders afresh.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction

from miniport.accounts.models import Subject
from miniport.core import audit, clock, events, policy
from miniport.core.actors import Actor
from miniport.core.models import AuditEntry
from miniport.miniprograms.models import MiniProgram
from miniport.payments.certification.policy import REMINDER_RULES

ACTION = "certification.reminder"
# Certifications that ended longer ago than this get no expiry notice any more (a first
# sweep after a long stop does not mail about old news).
EXPIRY_NOTICE_DAYS = 30
SWEEP_ACTOR = Actor.system("certification reminders")


def reminder_days() -> list[int]:
    """The days before expiry at which a reminder goes out, nearest last; 0 rows are off."""
    return sorted({policy.value(rule) for rule in REMINDER_RULES} - {0}, reverse=True)


def _already_sent(subject: Subject, until: int, days: int) -> bool:
    return AuditEntry.objects.filter(
        action=ACTION,
        target_type="Subject",
        target_id=str(subject.pk),
        after__until=until,
        after__days=days,
    ).exists()


def _send_once(subject_pk: int, days: int) -> bool:
    """Send the reminder `days` before the end of the term (0: the expiry notice) unless
    it was sent for this term; True when this call sent it."""
    with transaction.atomic():
        subject = Subject.objects.select_for_update().filter(pk=subject_pk).first()
        if subject is None or subject.certified_until is None:
            return False
        until = int(subject.certified_until.timestamp())
        if _already_sent(subject, until, days):
            return False
        mp = MiniProgram.objects.filter(subject=subject).only("appid").first()
        appid = mp.appid if mp is not None else ""
        audit.record(
            SWEEP_ACTOR,
            ACTION,
            target=subject,
            appid=appid,
            after={"until": until, "days": days},
        )
        events.emit(
            "certification.expired" if days == 0 else "certification.reminder",
            {"certified_until": subject.certified_until, "days": days},
            appid=appid,
        )
    return True


def _nearest_due(left: timedelta, days: list[int]) -> int | None:
    """The nearest reminder whose time has come (a sweep that missed one sends only the
    most urgent)."""
    due = [d for d in days if left <= timedelta(days=d)]
    return min(due) if due else None


def certification_reminders_send() -> int:
    """The sweep: every reminder and expiry notice due now, each once."""
    now = clock.now()
    days = reminder_days()
    sent = 0
    if days:
        soon = Subject.objects.filter(
            certified_until__gt=now, certified_until__lte=now + timedelta(days=max(days))
        ).values_list("pk", "certified_until")
        for pk, until in soon:
            due = _nearest_due(until - now, days)
            if due is not None and _send_once(pk, due):
                sent += 1
    ended = Subject.objects.filter(
        certified_until__lte=now, certified_until__gt=now - timedelta(days=EXPIRY_NOTICE_DAYS)
    ).values_list("pk", flat=True)
    for pk in ended:
        if _send_once(pk, 0):
            sent += 1
    return sent
