"""What the releases services share: the mini program's row lock, the actor's label,
policy switches read by several actions."""

from __future__ import annotations

from miniport.core import policy
from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.miniprograms.models import MiniProgram
from miniport.releases.errors import ReleaseError


def lock(miniprogram: MiniProgram) -> MiniProgram:
    """The mini program's row, locked for the rest of the transaction: on PostgreSQL the
    actions of one mini program run one after the other (SQLite's writers already do);
    the database constraints decide the rest."""
    return MiniProgram.objects.select_for_update().get(pk=miniprogram.pk)


def label_of(actor: Actor) -> str:
    return (actor.label or f"{actor.kind}:{actor.id}")[:200]


def refuse_in_public_beta() -> None:
    """VER-6: while the operator's public-beta switch is on, nothing is released."""
    if policy.value("release.public_beta"):
        raise PlatformError(ReleaseError.PUBLIC_BETA)
