"""The merchant's API key (PAY-1): shown once to the administrator after a QR scan,
rotated after another; encrypted at rest (`Merchant.api_key` is a sealed column).

Like the AppSecret (DEV-2): the console asks for a ticket bound to its browser session,
the administrator confirms on the phone, the console completes with the ticket once.

Refusals (`MerchantError` unless noted), after which nothing changed:
- the mini program has no merchant: NOT_MERCHANT;
- a second look at a key already shown: KEY_ALREADY_SHOWN (rotate instead);
- a ticket of another merchant, action or key version: KEY_TICKET_MISMATCH / KEY_CHANGED;
- a ticket confirmed by anyone but the administrator: IdentityError.TICKET_WRONG_IDENTITY;
  not yet confirmed, expired, used, denied: the identity domain's ticket codes.

The key never goes into a log or an audit row; those name the key's version.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from miniport.core import audit, clock
from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.identities.errors import IdentityError
from miniport.miniprograms.models import MiniProgram
from miniport.payments.merchants import purposes
from miniport.payments.merchants.errors import MerchantError
from miniport.payments.merchants.platform import new_api_key
from miniport.payments.models import Merchant


def _merchant(miniprogram: MiniProgram, *, lock: bool = False) -> Merchant:
    rows = Merchant.objects.select_for_update() if lock else Merchant.objects.all()
    merchant = rows.filter(miniprogram=miniprogram).first()
    if merchant is None:
        raise PlatformError(MerchantError.NOT_MERCHANT)
    return merchant


def merchant_key_request(
    *, actor: Actor, miniprogram: MiniProgram, session_key: str, rotate: bool = False
):
    """A QR ticket the administrator scans to confirm showing (or, `rotate`, replacing)
    the API key. Showing a key already shown is refused before any scan."""
    from miniport.identities import services as identity_services

    merchant = _merchant(miniprogram)
    if not rotate and merchant.key_shown_at is not None:
        raise PlatformError(MerchantError.KEY_ALREADY_SHOWN)
    return identity_services.ticket_create(
        purpose=purposes.KEY_ROTATE if rotate else purposes.KEY_SHOW,
        session_key=session_key,
        expected_identity=miniprogram.admin_identity,
        payload={
            "appid": miniprogram.appid,
            "mch_id": merchant.mch_id,
            "key_version": merchant.key_version,
        },
        summary=f"{miniprogram.name or miniprogram.appid} · {merchant.mch_id}",
    )


def _consume(miniprogram: MiniProgram, merchant: Merchant, purpose: str, token: str, key: str):
    from miniport.identities import services as identity_services

    ticket = identity_services.ticket_consume(token=token, session_key=key, purpose=purpose)
    payload = ticket.payload or {}
    if payload.get("appid") != miniprogram.appid or payload.get("mch_id") != merchant.mch_id:
        raise PlatformError(MerchantError.KEY_TICKET_MISMATCH)
    if ticket.confirmed_by_id != miniprogram.admin_identity_id:
        raise PlatformError(IdentityError.TICKET_WRONG_IDENTITY)
    if payload.get("key_version") != merchant.key_version:
        raise PlatformError(MerchantError.KEY_CHANGED)
    return ticket


def merchant_key_reveal(
    *, actor: Actor, miniprogram: MiniProgram, ticket_token: str, session_key: str
) -> str:
    """The API key, once: after the administrator's scan confirmed this reveal. The key
    is marked shown in the same conditional UPDATE, so two browsers racing get it once."""
    with transaction.atomic():
        merchant = _merchant(miniprogram, lock=True)
        if merchant.key_shown_at is not None:
            raise PlatformError(MerchantError.KEY_ALREADY_SHOWN)
        _consume(miniprogram, merchant, purposes.KEY_SHOW, ticket_token, session_key)
        shown = Merchant.objects.filter(
            pk=merchant.pk, key_shown_at__isnull=True, key_version=merchant.key_version
        ).update(key_shown_at=clock.now())
        if not shown:
            raise PlatformError(MerchantError.KEY_ALREADY_SHOWN)
        audit.record(
            actor,
            "merchant.key_reveal",
            target=merchant,
            appid=miniprogram.appid,
            after={"mch_id": merchant.mch_id, "key_version": merchant.key_version},
        )
        return merchant.api_key


def merchant_key_rotate(
    *, actor: Actor, miniprogram: MiniProgram, ticket_token: str, session_key: str
) -> str:
    """A new API key after the administrator's scan, shown this once; the previous key
    stops signing at once (every signature is checked against the stored key). The
    sandbox key (`sandboxnew/`) belongs to a key version and is made again on need."""
    with transaction.atomic():
        merchant = _merchant(miniprogram, lock=True)
        _consume(miniprogram, merchant, purposes.KEY_ROTATE, ticket_token, session_key)
        key = new_api_key()
        now = clock.now()
        moved = Merchant.objects.filter(pk=merchant.pk, key_version=merchant.key_version).update(
            api_key=key,
            key_version=F("key_version") + 1,
            key_set_at=now,
            key_shown_at=now,
            sandbox_key="",
        )
        if not moved:
            raise PlatformError(MerchantError.KEY_CHANGED)
        audit.record(
            actor,
            "merchant.key_rotate",
            target=merchant,
            appid=miniprogram.appid,
            before={"key_version": merchant.key_version},
            after={"mch_id": merchant.mch_id, "key_version": merchant.key_version + 1},
        )
        return key
