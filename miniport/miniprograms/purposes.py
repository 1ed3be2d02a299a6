"""QR ticket purposes of the mini program domain, registered with `identities.purposes`
when the app is ready: adding a member (MEM-4), resetting the AppSecret (DEV-2) and the
administrator hand-over. Each is polled and used by the console page that asked."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from miniport.identities.purposes import register

MEMBER_ADD = register(
    "member_add",
    owner="miniprograms",
    label=_("confirm adding a member"),
    shows=_("Confirming adds this member to the mini program with the roles chosen."),
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
