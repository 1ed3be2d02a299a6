"""The kinds of review. This floor names none: each domain registers its own from its
AppConfig.ready() (DESIGN.md, "Layout"), saying how to describe a target to the desk,
what approving and rejecting do to it, and who may not review it.

The callbacks run inside the review service's transaction, after the review's own
state moved, so a callback that refuses (raises) leaves the review undecided too.

Two optional hooks let a kind show more than its description on a desk, without the desk
naming any kind: `detail` answers the kind's own part of the detail page as plain data
(a surface renders it with its template for that kind, e.g. the package's file tree of a
code review), and `reason_choices` the coded reasons a reviewer may pick when rejecting
(a catalog). A domain may add them after registering its kind (`extend`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

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
    # What a desk calls the delay of this kind (a certification's delay asks for more
    # material); None: the desk's own word for a delay.
    delay_label: str | Promise | None = None
    # The bytes and image format of one of the documents the description lists.
    document: Callable[[Review, str], tuple[bytes, str] | None] | None = None
    # The kind's own part of a desk's detail page, as data (no HTML): given the review and
    # the page's query parameters (which file to show, ...). None: the description only.
    detail: Callable[[Review, Mapping[str, str]], Mapping[str, Any]] | None = None
    # The coded reasons a reviewer may pick when rejecting, as (key, label) in the given
    # language; a picked key is stored among the reasons as it is.
    reason_choices: Callable[[str | None], Sequence[tuple[str, str]]] | None = None
    # `describe` for many reviews of this kind at once, in their order, reading their
    # targets in a constant number of queries (the desk's queue draws a page of them;
    # issue 14 item 2). None: `describe` each.
    describe_many: Callable[[Sequence[Review]], Sequence[Description]] | None = None


_KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    """Add a domain's kind; one key registered twice with other callbacks is a bug (the
    same kind again keeps the hooks `extend` added since)."""
    existing = _KINDS.get(kind.key)
    if existing is not None:
        if replace(existing, **{name: getattr(kind, name) for name in EXTENSIBLE}) != kind:
            raise ValueError(f"review kind {kind.key!r} is registered twice")
        return
    _KINDS[kind.key] = kind


# The hooks `extend` may add to a registered kind.
EXTENSIBLE = frozenset({"detail", "reason_choices", "document"})


def extend(key: str, **hooks: Any) -> Kind:
    """Add desk hooks (`EXTENSIBLE`) to a registered kind; the decision callbacks stay as
    registered. Adding the same hooks again changes nothing."""
    unknown = set(hooks) - EXTENSIBLE
    if unknown:
        raise ValueError(f"review kinds cannot be extended with {sorted(unknown)}")
    kind = replace(get(key), **hooks)
    _KINDS[key] = kind
    return kind


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
