"""QR ticket purposes of the mini program domain, registered with `identities.purposes`
when the app is ready: adding a member (MEM-4), resetting the AppSecret and changing the
API IP whitelist (DEV-2, issue 9 item 9), and the administrator hand-over. Each is polled
and used by the console page that asked."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from miniport.core.errors import PlatformError
from miniport.identities.purposes import register


def _has_console_role(ticket, identity) -> None:
    """Member login: only an administrator or project member of some mini program has a
    console to enter; anyone else (an experience member alone) is told so on the phone
    instead of confirming a login the console would refuse."""
    from miniport.miniprograms import selectors
    from miniport.miniprograms.errors import MiniProgramError

    if not selectors.miniprograms_of(identity):
        raise PlatformError(MiniProgramError.NO_CONSOLE_ROLE)


def _member_add_shows(payload: dict[str, Any]) -> Promise | None:
    """An experience member has no role: adding one is worded for what it gives instead
    of "with the roles chosen" (the purpose is shared with project members)."""
    if payload.get("kind") == "experience":
        return _(
            "Confirming adds this person as an experience member: they may open the mini "
            "program's experience version."
        )
    return None


MEMBER_ADD = register(
    "member_add",
    owner="miniprograms",
    label=_("confirm adding a member"),
    shows=_("Confirming adds this member to the mini program with the roles chosen."),
    shows_for=_member_add_shows,
)
SECRET_RESET = register(
    "secret_reset",
    owner="miniprograms",
    label=_("generate or reset the AppSecret"),
    shows=_("Confirming issues a new AppSecret; the previous one stops working at once."),
)
ADMIN_HANDOVER = register(
    "admin_handover",
    owner="miniprograms",
    label=_("administrator hand-over"),
    shows=_(
        "Confirming agrees to hand the mini program's administrator role over; the "
        "current and the new administrator both confirm."
    ),
)
IP_WHITELIST = register(
    "ip_whitelist",
    owner="miniprograms",
    label=_("change the API IP whitelist"),
    shows=_(
        "Confirming replaces the addresses allowed to fetch the access_token with the "
        "AppSecret by the list shown; an empty list allows every address."
    ),
)
# Member login by scan: any identity holding a console role may confirm; the page that
# asked logs its browser in as that identity.
MEMBER_LOGIN = register(
    "member_login",
    owner="miniprograms",
    label=_("console login"),
    shows=_("Confirming signs the computer that shows this QR code in to the console."),
    admits=_has_console_role,
)
