"""Who may act on a mini program's certification: its administrator (or the platform)."""

from __future__ import annotations

from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.miniprograms import permissions
from miniport.miniprograms import selectors as mp_selectors
from miniport.miniprograms.models import MiniProgram
from miniport.payments.certification.errors import CertificationError


def is_administrator(actor: Actor, miniprogram: MiniProgram) -> bool:
    if actor.kind == "system":
        return True
    return permissions.ADMINISTRATOR in mp_selectors.actor_roles(actor, miniprogram)


def require_administrator(actor: Actor, miniprogram: MiniProgram) -> None:
    if not is_administrator(actor, miniprogram):
        raise PlatformError(CertificationError.ADMINISTRATOR_ONLY)
