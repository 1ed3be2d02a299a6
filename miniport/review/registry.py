"""The kinds of review. This floor names none: each domain registers its own from its
AppConfig.ready() (DESIGN.md, "Layout"), saying how to describe a target to the desk,
what approving and rejecting do to it, and who may not review it.

The callbacks run inside the review service's transaction, after the review's own
state moved, so a callback that refuses (raises) leaves the review undecided too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise

from miniport.core.actors import Actor

if TYPE_CHECKING:
    from miniport.review.models import Review


@dataclass(frozen=True)
class Description:
    """What the desk shows of a review's target."""

    title: str
    appid: str = ""
    summary: str = ""
    # (label, value) lines of the detail page.
    facts: tuple[tuple[str, str], ...] = ()
    # (key, label) of the documents the reviewer may open (`Kind.document`).
    documents: tuple[tuple[str, str], ...] = ()
    link: str = ""


@dataclass(frozen=True)
class Kind:
    key: str
    label: str | Promise
    describe: Callable[[Review], Description]
    approve: Callable[[Review, Actor], None]
    reject: Callable[[Review, Actor, list[str]], None]
    # True when the actor belongs to what the review decides on: he may not review it.
    is_member: Callable[[Review, Actor], bool]
    withdraw: Callable[[Review, Actor], None] | None = None
    # Only kinds with this callback may be delayed (the review stays open, with reasons).
    delay: Callable[[Review, Actor, list[str]], None] | None = None
    # The bytes and image format of one of the documents the description lists.
    document: Callable[[Review, str], tuple[bytes, str] | None] | None = None


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    """Add a domain's kind; one key registered twice with other callbacks is a bug."""
    existing = _KINDS.get(kind.key)
    if existing is not None and existing != kind:
        raise ValueError(f"review kind {kind.key!r} is registered twice")
    _KINDS[kind.key] = kind


def get(key: str) -> Kind:
    """The kind registered under `key`; an unknown one is a programming error."""
    try:
        return _KINDS[key]
    except KeyError:
        raise LookupError(f"unknown review kind {key!r}; registered: {sorted(_KINDS)}") from None


def is_registered(key: str) -> bool:
    return key in _KINDS


def kinds() -> tuple[Kind, ...]:
    """Every registered kind, in registration order."""
    return tuple(_KINDS.values())


def unregister(key: str) -> None:
    """Forget a kind (tests register throw-away kinds)."""
    _KINDS.pop(key, None)
