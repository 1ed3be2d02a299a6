"""Launch contexts: a mini program opened from somewhere that has its own rules, such as
an official account's menu or an enterprise's workbench.

The runtime's launch names the context (`via` and `via_id`); the part that owns the
context decides whether this identity may open this mini program there, and raises a
coded refusal when not. Parts register their context from their AppConfig.ready(), so
this module never names them."""

from __future__ import annotations

from collections.abc import Callable

from miniport.core.errors import CoreError, PlatformError
from miniport.identities.models import Identity
from miniport.miniprograms.models import MiniProgram

# via -> check(identity, miniprogram, via_id); raises PlatformError to refuse.
Check = Callable[[Identity, MiniProgram, str], None]
_CONTEXTS: dict[str, Check] = {}


def register(via: str, check: Check) -> None:
    if via in _CONTEXTS and _CONTEXTS[via] is not check:
        raise ValueError(f"launch context {via!r} is registered twice")
    _CONTEXTS[via] = check


def kinds() -> tuple[str, ...]:
    return tuple(sorted(_CONTEXTS))


def launch_check(*, via: str, via_id: str, identity: Identity, miniprogram: MiniProgram) -> None:
    """Refuses a launch from context `via` (identified by `via_id`) that its owner does
    not allow; an unknown context is FIELD_INVALID on `via`."""
    check = _CONTEXTS.get(via)
    if check is None:
        raise PlatformError(CoreError.FIELD_INVALID, field="via", reason="via")
    if not via_id or "\x00" in via_id or len(via_id) > 64:
        raise PlatformError(CoreError.FIELD_INVALID, field="via_id", reason="via_id")
    check(identity, miniprogram, via_id)
