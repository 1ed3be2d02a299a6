"""The registration's transition table at work (REG-11): every status change is a
conditional UPDATE, a history row, an audit row and an event, the last two carrying the
AppID the registration opened."""

from __future__ import annotations

from miniport.accounts.models import REGISTRATION_TRANSITIONS, Registration, RegistrationHistory
from miniport.core import audit, clock, events
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError


def appid_of(registration: Registration) -> str:
    """The AppID of the mini program the registration opened, as stored (REG-9); empty
    before it was opened. Read fresh: the instance in hand may predate the opening."""
    return (
        Registration.objects.filter(pk=registration.pk).values_list("appid", flat=True).first()
        or ""
    )


def registration_record_appid(*, registration: Registration, appid: str) -> None:
    """Record the AppID of the mini program the registration opened (REG-9), in the
    transaction that opened it."""
    Registration.objects.filter(pk=registration.pk).update(appid=appid)
    registration.appid = appid


def registration_transition(
    *, actor: Actor, registration: Registration, to: str, note: str = ""
) -> None:
    """Move a registration along the transition table; refuse any other move. Call inside a transaction."""
    current = registration.status
    if to not in REGISTRATION_TRANSITIONS.get(current, set()):
        raise PlatformError(CoreError.ILLEGAL_TRANSITION, state=current, action=to)
    moved = Registration.objects.filter(pk=registration.pk, status=current).update(status=to)
    if not moved:
        # Someone else moved it first.
        raise PlatformError(CoreError.ILLEGAL_TRANSITION, state=current, action=to)
    registration.status = to
    RegistrationHistory.objects.create(
        registration=registration,
        from_status=current,
        to_status=to,
        at=clock.now(),
        actor_label=actor.label,
        note=note[:300],
    )
    appid = appid_of(registration)
    audit.record(
        actor,
        "registration.transition",
        target=registration,
        appid=appid,
        before={"status": current},
        after={"status": to, "note": note},
    )
    events.emit(
        "registration.status_changed",
        {"registration": registration.pk, "from": current, "to": to},
        appid=appid,
    )
