"""The identities domain's rules: QR tickets and host-app identity sessions.

Registered with the kernel's table from this app's `ready()`."""

from django.utils.translation import gettext_noop

from miniport.core.policy import Rule, register

register(
    Rule(
        "qr.ticket_ttl_seconds",
        180,
        gettext_noop("seconds"),
        "REG-10 [004]",
        gettext_noop("Lifetime of a QR confirmation ticket"),
    ),
    # Host-app runtime (B-3)
    Rule(
        "runtime.session_ttl_seconds",
        7 * 24 * 3600,
        gettext_noop("seconds"),
        "B-3",
        gettext_noop("Lifetime of an identity session of the host app"),
    ),
)
