"""Signing in to the consoles of official accounts and enterprises (OA-3, WW-2): their
administrators are identities, so the sign-in is one scan, like a member login. Whoever
confirms the ticket is signed in; which official accounts and enterprises that identity
may manage is each part's own rule, read on every page."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from miniport.core.errors import PlatformError
from miniport.identities import services as identity_services
from miniport.identities.errors import IdentityError
from miniport.identities.models import Identity, QrTicket
from miniport.identities.purposes import register

LINKED_LOGIN = register(
    "linked_login",
    owner="links",
    label=_("official account and enterprise console login"),
    shows=_(
        "Confirming signs the computer that shows this QR code in to the consoles of the "
        "official accounts and enterprises you administer."
    ),
)


def linked_login_request(*, session_key: str) -> QrTicket:
    return identity_services.ticket_create(
        purpose=LINKED_LOGIN, session_key=session_key, payload={}, summary=""
    )


def linked_login_confirmed(*, token: str, session_key: str) -> Identity:
    """Use the confirmed ticket once; the identity that confirmed it."""
    with transaction.atomic():
        ticket = identity_services.ticket_consume(
            token=token, session_key=session_key, purpose=LINKED_LOGIN
        )
        if ticket.confirmed_by is None:
            raise PlatformError(IdentityError.TICKET_INVALID)
    return ticket.confirmed_by
