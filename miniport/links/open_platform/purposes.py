"""The scan of OPN-1: the administrator of a mini program confirms its binding to an
open platform account asked from the account owner's console. The ticket names that
administrator (it shows in their pending confirmations on the phone); confirming binds,
in the confirmation's transaction, so a refusal (limit, already bound) undoes it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from miniport.core import audit
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.identities import services as identity_services
from miniport.identities.errors import IdentityError
from miniport.identities.models import QrTicket
from miniport.identities.purposes import register
from miniport.links.open_platform import selectors, services
from miniport.links.open_platform.models import OpenAccount
from miniport.miniprograms import selectors as mp_selectors
from miniport.miniprograms.models import MiniProgram


def _confirmed(ticket: QrTicket) -> None:
    payload = ticket.payload or {}
    account = selectors.account_by_open_appid(payload.get("open_appid"))
    miniprogram = mp_selectors.by_appid(str(payload.get("appid") or ""))
    if account is None or miniprogram is None:
        raise PlatformError(CoreError.NOT_FOUND)
    # The ticket named the administrator of its day; after a handover only the new one
    # speaks for the mini program (the old one's scan would bind what he no longer runs).
    if ticket.confirmed_by_id != miniprogram.admin_identity_id:
        raise PlatformError(IdentityError.TICKET_WRONG_IDENTITY)
    services.open_bind(
        actor=Actor.for_identity(ticket.confirmed_by),
        account=account,
        miniprogram=miniprogram,
        via_api=False,
    )


BIND = register(
    "open_bind",
    owner="open_platform",
    label=_("binding to an open platform account"),
    shows=_(
        "Confirming binds the mini program you administer to the open platform account "
        "below: its users get the same UnionID in every app bound to that account."
    ),
    on_confirm=_confirmed,
)


def bind_request(
    *, actor: Actor, account: OpenAccount, miniprogram: MiniProgram, session_key: str
) -> QrTicket:
    """Ask the mini program's administrator to confirm the binding by scan. The refusals
    known now (not certified, already bound) come at once, not after the scan."""
    services.check_bindable(account, miniprogram, via_api=False)
    if miniprogram.admin_identity_id is None:
        raise PlatformError(CoreError.NOT_FOUND, field="appid")
    ticket = identity_services.ticket_create(
        purpose=BIND,
        session_key=session_key,
        expected_identity=miniprogram.admin_identity,
        payload={"open_appid": account.open_appid, "appid": miniprogram.appid},
        summary=f"{miniprogram.appid} → {account.open_appid}",
    )
    audit.record(
        actor,
        "open.bind_request",
        target=account,
        appid=miniprogram.appid,
        after={"open_appid": account.open_appid, "appid": miniprogram.appid},
    )
    return ticket
