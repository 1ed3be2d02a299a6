"""Reads about identities used by several surfaces."""

from __future__ import annotations

import base64
import hmac
import re

from django.conf import settings
from django.db.models import QuerySet

from miniport.core import clock, ids
from miniport.identities.models import Identity, QrTicket, TicketStatus


def _stable_id(namespace: str, *parts: str) -> str:
    # settings.ID_KEY, never the web secret: rotating SECRET_KEY must not change openids.
    mac = ids.keyed_sha256(settings.ID_KEY, "|".join((namespace, *parts)).encode())
    return base64.urlsafe_b64encode(mac[:21]).decode().rstrip("=")


def openid_for(identity: Identity, appid: str) -> str:
    """Stable per identity and mini program, unrelated across mini programs."""
    return openid_for_identity_pk(identity.pk, appid)


def openid_for_identity_pk(identity_pk: int, appid: str) -> str:
    """`openid_for` from the identity's key alone (jscode2session never loads the row)."""
    return "o" + _stable_id("openid", appid, str(identity_pk))[:27]


def unionid_for(identity: Identity, open_appid: str) -> str:
    """One per identity and open platform account: the same in every app bound to it."""
    return unionid_for_identity_pk(identity.pk, open_appid)


def unionid_for_identity_pk(identity_pk: int, open_appid: str) -> str:
    return "o" + _stable_id("unionid", open_appid, str(identity_pk))[:27]


# Tokens are URL-safe base64 (`ids.new_token`); anything else is no token and never
# reaches the database (PostgreSQL refuses NUL characters, for one).
_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def is_token(value: object) -> bool:
    return isinstance(value, str) and _TOKEN.fullmatch(value) is not None


def clean_wechat_id(value: object) -> str | None:
    """The WeChat ID to look up, or None when the input cannot be one."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not value or "\x00" in value or len(value) > 40:
        return None
    return value


def identity_by_wechat_id(wechat_id: object) -> Identity | None:
    cleaned = clean_wechat_id(wechat_id)
    return None if cleaned is None else Identity.objects.filter(wechat_id=cleaned).first()


def find_by_wechat_id(wechat_id: str) -> Identity | None:
    """A searchable identity (member and tester search)."""
    cleaned = clean_wechat_id(wechat_id)
    if cleaned is None:
        return None
    return Identity.objects.filter(wechat_id=cleaned, searchable=True).first()


def ticket_by_token(token: object) -> QrTicket | None:
    if not is_token(token):
        return None
    return (
        QrTicket.objects.select_related("expected_identity", "confirmed_by")
        .filter(token=token)
        .first()
    )


def identity_by_id(pk: object) -> Identity | None:
    """The identity with this primary key; None for anything that is not one."""
    try:
        number = int(str(pk))
    except (TypeError, ValueError):
        return None
    if number <= 0 or number > 2**63 - 1:
        return None
    return Identity.objects.filter(pk=number).first()


def demo_identities() -> QuerySet[Identity]:
    """Identities offered for one-click sign-in when the platform runs in demo mode."""
    return Identity.objects.filter(is_demo=True).order_by("id")


def pending_confirmations(identity: Identity) -> QuerySet[QrTicket]:
    """Tickets waiting for this identity on its phone (those naming it explicitly)."""
    return QrTicket.objects.filter(
        expected_identity=identity,
        status__in=[TicketStatus.PENDING, TicketStatus.SCANNED],
        expires_at__gt=clock.now(),
    ).order_by("expires_at")


def seconds_left(ticket: QrTicket) -> int:
    return max(0, int((ticket.expires_at - clock.now()).total_seconds()))


def session_owns(ticket: QrTicket, session_key: str | None) -> bool:
    """True when the browser session with this key is the one that asked for the ticket."""
    if not session_key:
        return False
    return hmac.compare_digest(ticket.session_digest, ids.digest(session_key))


def session_ticket(*, token: str, session_key: str | None) -> QrTicket | None:
    """The ticket, only for the browser session that asked for it."""
    ticket = ticket_by_token(token)
    if ticket is None or not session_owns(ticket, session_key):
        return None
    return ticket
