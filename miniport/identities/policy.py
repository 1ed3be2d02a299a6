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
        minimum=1,
    ),
    # Identity sign-in: phone pages and host app (issue 9 item 1). Failures are counted
    # per WeChat ID from one address, per address, and per WeChat ID from all addresses;
    # at a limit the sign-in is refused without checking the password.
    Rule(
        "identity_signin.failure_window_seconds",
        900,
        gettext_noop("seconds"),
        "DESIGN security",
        gettext_noop("Window in which failed identity sign-ins are counted"),
        minimum=1,
    ),
    Rule(
        "identity_signin.max_failures_per_identity_address",
        5,
        gettext_noop("attempts"),
        "DESIGN security",
        gettext_noop("Failed sign-ins of one identity from one address in the window"),
        minimum=1,
    ),
    Rule(
        "identity_signin.max_failures_per_address",
        20,
        gettext_noop("attempts"),
        "DESIGN security",
        gettext_noop("Failed identity sign-ins from one address in the window"),
        minimum=1,
    ),
    Rule(
        "identity_signin.max_failures_per_identity",
        50,
        gettext_noop("attempts"),
        "DESIGN security",
        gettext_noop("Failed sign-ins of one identity from all addresses in the window"),
        minimum=1,
    ),
    # Host-app runtime (B-3)
    Rule(
        "runtime.session_ttl_seconds",
        7 * 24 * 3600,
        gettext_noop("seconds"),
        "B-3",
        gettext_noop("Lifetime of an identity session of the host app"),
        minimum=1,
    ),
)

# Retention of rows that no longer count, before the purge deletes them (issue 9 item 6,
# `identities.retention`).
register(
    Rule(
        "purge.qr_tickets_after_hours",
        24,
        gettext_noop("hours"),
        "retention: expired rows removed by `miniport purge`",
        gettext_noop("How long an expired QR ticket is kept before it is deleted"),
    ),
    Rule(
        "purge.sign_in_failures_after_days",
        7,
        gettext_noop("days"),
        "retention: expired rows removed by `miniport purge`",
        gettext_noop("How long a failed identity sign-in is kept before it is deleted"),
    ),
    Rule(
        "purge.signup_sms_codes_after_hours",
        24,
        gettext_noop("hours"),
        "retention: expired rows removed by `miniport purge`",
        gettext_noop("How long an expired sign-up SMS code is kept before it is deleted"),
    ),
)

# Sign-up on the phone pages (issue 10 item 1): the super-app's own accounts, a WeChat ID,
# a password, a phone verified by an SMS code and a real-name check of name and ID number.
register(
    Rule(
        "signup.password_min_length",
        8,
        gettext_noop("characters"),
        "phone sign-up (/m/signup/)",
        gettext_noop("Minimum length of an identity's password at sign-up"),
    ),
    Rule(
        "signup.sms_code_length",
        6,
        gettext_noop("digits"),
        "phone sign-up (/m/signup/)",
        gettext_noop("Digits in a sign-up SMS code"),
        minimum=4,
        maximum=10,
    ),
    Rule(
        "signup.sms_code_ttl_seconds",
        300,
        gettext_noop("seconds"),
        "phone sign-up (/m/signup/)",
        gettext_noop("Lifetime of a sign-up SMS code"),
        minimum=1,
    ),
    Rule(
        "signup.sms_resend_interval_seconds",
        60,
        gettext_noop("seconds"),
        "phone sign-up (/m/signup/)",
        gettext_noop("Minimum wait before sending another sign-up code to one phone"),
    ),
    Rule(
        "signup.sms_window_seconds",
        3600,
        gettext_noop("seconds"),
        "phone sign-up (/m/signup/)",
        gettext_noop("Window in which sign-up SMS codes are counted"),
    ),
    Rule(
        "signup.sms_max_per_phone",
        5,
        gettext_noop("messages"),
        "phone sign-up (/m/signup/)",
        gettext_noop("Sign-up SMS codes sent to one phone in the window"),
    ),
    Rule(
        "signup.sms_max_per_address",
        20,
        gettext_noop("messages"),
        "phone sign-up (/m/signup/)",
        gettext_noop("Sign-up SMS codes asked for from one address in the window"),
    ),
    Rule(
        "signup.sms_code_max_attempts",
        5,
        gettext_noop("attempts"),
        "phone sign-up (/m/signup/)",
        gettext_noop("Wrong entries before a sign-up SMS code is void"),
        minimum=1,
    ),
    Rule(
        "signup.max_identities_per_id_number",
        5,
        gettext_noop("identities"),
        "phone sign-up (/m/signup/)",
        gettext_noop("Identities one ID number may verify"),
    ),
)
