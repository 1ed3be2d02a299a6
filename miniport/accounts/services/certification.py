"""CER-1: a subject's certification, its one-year term and its renewal.

The certification application, its fee and its review belong to the payments domain,
which calls `subject_certify` from the approval; this floor keeps what certification
changes on the subject itself."""

from __future__ import annotations

from django.db import transaction

from miniport.accounts.models import RegistrationStatus, Subject
from miniport.accounts.services.state import appid_of
from miniport.accounts.services.verification import certification_until, registration_verify
from miniport.core import audit, clock
from miniport.core.actors import Actor


def subject_certify(*, actor: Actor, subject: Subject, note: str = "") -> Subject:
    """Certify `subject` for one more term. A renewal while the certification still holds
    adds the term to its current end, so renewing early loses no days; after expiry the
    term starts now. A registration still waiting for certification (REG-6b, REG-7) is
    verified by it and opens. Call inside the transaction of the approval."""
    with transaction.atomic():
        subject = Subject.objects.select_related("registration").get(pk=subject.pk)
        registration = subject.registration
        before = {"certified_until": subject.certified_until}
        if registration.status == RegistrationStatus.PENDING_CERTIFICATION:
            registration_verify(actor=actor, registration=registration, note=note)
            subject.refresh_from_db()
        else:
            now = clock.now()
            current_end = subject.certified_until
            start = current_end if current_end is not None and now < current_end else now
            until = certification_until(start)
            Subject.objects.filter(pk=subject.pk).update(certified_at=now, certified_until=until)
            subject.certified_at, subject.certified_until = now, until
        audit.record(
            actor,
            "subject.certify",
            target=subject,
            appid=appid_of(registration),
            before=before,
            after={"certified_until": subject.certified_until, "note": note[:300]},
        )
    return subject
