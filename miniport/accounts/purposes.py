"""QR ticket purposes of console accounts, registered with `identities.purposes` when the
app is ready: the console login's scan (REG-10) and the administrator identity check of
the registration (REG-5 / REG-8). Both are polled and used by the page that asked."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from miniport.identities.purposes import register

LOGIN = register(
    "login",
    owner="accounts",
    label=_("console login"),
    shows=_("Confirming signs the computer that shows this QR code in to the console."),
)
ADMIN_CHECK = register(
    "admin_check",
    owner="accounts",
    label=_("administrator identity check"),
    shows=_(
        "Confirming makes you the administrator named in this registration; your real "
        "name and ID number must be the ones entered."
    ),
)
# Forgotten email (issue 10 item 2): any identity may confirm; the page that asked is
# shown, partly hidden, the email of each account whose mini program it administers.
ACCOUNT_RECOVERY = register(
    "account_recovery",
    owner="accounts",
    label=_("account recovery"),
    shows=_(
        "Confirming shows, partly hidden, the login email of each mini program you "
        "administer on the computer that shows this QR code."
    ),
)
