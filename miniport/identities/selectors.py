"""Reads about identities used by several surfaces."""

from __future__ import annotations

import base64
import hashlib
import hmac

from django.conf import settings

from miniport.identities.models import Identity, QrTicket, TicketStatus
from miniport.core import clock


def _stable_id(namespace: str, *parts: str) -> str:
    mac = hmac.new(settings.SECRET_KEY.encode(), "|".join((namespace, *parts)).encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()[:21]).decode().rstrip("=")


def openid_for(identity: Identity, appid: str) -> str:
    """Stable per identity and mini program, unrelated across mini programs."""
    return "o" + _stable_id("openid", appid, str(identity.pk))[:27]


def unionid_for(identity: Identity, open_account_id: str) -> str:
    return "u" + _stable_id("unionid", open_account_id, str(identity.pk))[:27]


def find_by_wechat_id(wechat_id: str) -> Identity | None:
    return Identity.objects.filter(wechat_id=(wechat_id or "").strip(), searchable=True).first()


def pending_confirmations(identity: Identity):
    """Tickets waiting for this identity on its phone (those naming it explicitly)."""
    return QrTicket.objects.filter(
        expected_identity=identity,
        status__in=[TicketStatus.PENDING, TicketStatus.SCANNED],
        expires_at__gt=clock.now(),
    )
