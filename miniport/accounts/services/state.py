from __future__ import annotations

from miniport.accounts.models import REGISTRATION_TRANSITIONS, Registration, RegistrationHistory
from miniport.core import audit, clock, events
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError


def appid_of(registration: Registration) -> str:
    from miniport.miniprograms.models import MiniProgram

    return (
        MiniProgram.objects.filter(subject__registration=registration)
        .values_list("appid", flat=True)
        .first()
        or ""
    )


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
