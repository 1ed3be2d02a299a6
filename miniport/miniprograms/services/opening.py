"""Opening a mini program: the AppID allocated for a confirmed subject, and REG-9, the
registration's confirmation that opens it.

The confirmation is one transaction across two floors: accounts checks the draft, claims
the confirmation, takes the ID-number and phone places and creates the subject
(`accounts.services.confirmation`); the mini program is created here; accounts then
records its AppID and starts the verification. Refusals (from accounts): FIELD_REQUIRED,
SMS_CODE_INVALID, IDENTITY_CHECK_REQUIRED, SUBJECT_IMMUTABLE (confirmed already, also by a
parallel request), ID_NUMBER_QUOTA, PHONE_QUOTA, ACCOUNT_NOT_ACTIVATED; a refusal leaves
nothing behind.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from miniport.accounts.models import Registration, Subject
from miniport.accounts.services import confirmation
from miniport.core import audit, clock, events, ids
from miniport.core.actors import Actor
from miniport.miniprograms.models import MiniProgram


def miniprogram_create(*, actor: Actor, account, subject, admin_identity) -> MiniProgram:
    """Create the mini program of a confirmed registration, with a fresh AppID."""
    for _attempt in range(5):
        try:
            with transaction.atomic():
                mp = MiniProgram.objects.create(
                    appid=ids.new_appid(),
                    account=account,
                    subject=subject,
                    admin_identity=admin_identity,
                    created_at=clock.now(),
                )
                break
        except IntegrityError:
            # An AppID collision (64 random bits) is all but impossible; retry if it happens.
            continue
    else:  # pragma: no cover
        raise RuntimeError("could not allocate an AppID")
    audit.record(actor, "miniprogram.create", target=mp, appid=mp.appid, after={"appid": mp.appid})
    events.emit("miniprogram.created", {"appid": mp.appid}, appid=mp.appid)
    return mp


def registration_confirm(*, actor: Actor, registration: Registration) -> Subject:
    """REG-9: the subject becomes immutable; the mini program exists from here on.

    The ID-number and phone places (REG-5) are taken here, atomically, so concurrent
    registrations can never exceed the limit; a failed registration gives them back."""
    draft = confirmation.confirmable_draft(registration)
    with transaction.atomic():
        subject = confirmation.subject_confirm(registration=registration, draft=draft)
        miniprogram = miniprogram_create(
            actor=actor,
            account=registration.account,
            subject=subject,
            admin_identity=draft.admin_identity,
        )
        confirmation.verification_start(
            actor=actor,
            registration=registration,
            draft=draft,
            subject=subject,
            appid=miniprogram.appid,
        )
    return subject
