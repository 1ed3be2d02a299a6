"""The registry of QR ticket purposes.

Identities knows how a ticket is requested, decided on a phone and used once; it does not
know what the upper domains ask their users to confirm. Each domain registers its
purposes from its `AppConfig.ready()` (importing its own `purposes.py`, as it does with
`errors.py` and `policy.py`): a key stored on the ticket, a label and what the phone page
shows (`shows`, or per ticket `shows_for(payload)`), and what confirming does.

Most purposes do nothing on confirmation: the requesting page polls the ticket and uses
it once (`ticket_consume`). A purpose with `on_confirm` has that callback run in the
transaction of the confirmation, after the ticket is marked confirmed; a refusal it
raises undoes the confirmation.

`ticket_create` refuses a purpose nobody registered (TICKET_PURPOSE_UNKNOWN); registering
a key twice for different owners, or a key the ticket's column cannot hold, fails at
import.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from miniport.core.errors import PlatformError
from miniport.identities.errors import IdentityError

if TYPE_CHECKING:
    from miniport.identities.models import Identity, QrTicket

# QrTicket.purpose is a CharField of this width.
KEY_MAX_LENGTH = 20
_KEY = re.compile(r"^[a-z][a-z0-9_]*\Z")

Text = str | Promise


@dataclass(frozen=True)
class Purpose:
    key: str
    # The domain that registered it (its app label).
    owner: str
    # A short name of the request ("console login"), lazily translated.
    label: Text
    # What confirming means, shown on the phone before the user decides; may be empty.
    shows: Text = ""
    # What confirming does, beyond marking the ticket confirmed; None when the requesting
    # page polls and consumes the ticket itself.
    on_confirm: Callable[[QrTicket], None] | None = None
    # Who may decide, beyond the ticket's expected identity: raises the refusal for an
    # identity the purpose has no use for, when the phone opens the ticket and again when
    # it confirms, so the phone never promises what the requesting page then refuses.
    admits: Callable[[QrTicket, Identity], None] | None = None
    # What confirming means for one ticket, from its payload, when that differs from one
    # ticket to another (adding an experience member gives no role); None (from the hook
    # or without one): `shows`.
    shows_for: Callable[[dict[str, Any]], Text | None] | None = None

    def shows_of(self, payload: dict[str, Any] | None) -> Text:
        """What the phone page shows before a ticket of this purpose is decided."""
        if self.shows_for is not None:
            shown = self.shows_for(payload if isinstance(payload, dict) else {})
            if shown is not None:
                return shown
        return self.shows


_REGISTRY: dict[str, Purpose] = {}


def register(
    key: str,
    *,
    owner: str,
    label: Text,
    shows: Text = "",
    on_confirm: Callable[[QrTicket], None] | None = None,
    admits: Callable[[QrTicket, Identity], None] | None = None,
    shows_for: Callable[[dict[str, Any]], Text | None] | None = None,
) -> str:
    """Register a purpose; returns its key (what callers pass to `ticket_create`)."""
    if not _KEY.match(key) or len(key) > KEY_MAX_LENGTH:
        raise ValueError(f"ticket purpose {key!r}: lower-case, at most {KEY_MAX_LENGTH} chars")
    known = _REGISTRY.get(key)
    if known is not None and known.owner != owner:
        raise ValueError(f"ticket purpose {key!r} is already registered by {known.owner}")
    _REGISTRY[key] = Purpose(
        key=key,
        owner=owner,
        label=label,
        shows=shows,
        on_confirm=on_confirm,
        admits=admits,
        shows_for=shows_for,
    )
    return key


def get(key: str) -> Purpose | None:
    return _REGISTRY.get(key)


def require(key: str) -> Purpose:
    """The registered purpose, or the refusal TICKET_PURPOSE_UNKNOWN."""
    purpose = _REGISTRY.get(key)
    if purpose is None:
        raise PlatformError(IdentityError.TICKET_PURPOSE_UNKNOWN, purpose=key)
    return purpose


def registered(owner: str | None = None) -> list[Purpose]:
    """Every registered purpose (of one owner when given), by key."""
    return sorted(
        (purpose for purpose in _REGISTRY.values() if owner is None or purpose.owner == owner),
        key=lambda purpose: purpose.key,
    )


def label_of(key: str) -> Text:
    """The label a page shows for a ticket's purpose; the bare key for one no longer
    registered (a ticket older than a removed purpose)."""
    purpose = _REGISTRY.get(key)
    return purpose.label if purpose is not None else key


# Identities' own purpose: a plain confirmation with nothing more to say.
GENERIC = register("generic", owner="identities", label=_("confirmation"))
