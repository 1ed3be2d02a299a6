"""The accounts domain's rules: registration, verification and console login.

Registered with the kernel's table from this app's `ready()`."""

from django.utils.translation import gettext_noop

from miniport.core.policy import Rule, register

register(
    # Registration (REG)
    Rule(
        "registration.password_min_length",
        8,
        gettext_noop("characters"),
        "REG-1 [004]",
        gettext_noop("Minimum password length"),
    ),
    Rule(
        "registration.activation_link_ttl_hours",
        48,
        gettext_noop("hours"),
        "REG-3 [001, 004]",
        gettext_noop("Lifetime of an activation link"),
        minimum=1,
    ),
    Rule(
        "registration.activation_resend_interval_seconds",
        60,
        gettext_noop("seconds"),
        "REG-3 [004]",
        gettext_noop("Minimum wait before resending the activation mail"),
    ),
    Rule(
        "registration.id_number_max_miniprograms",
        5,
        gettext_noop("mini programs"),
        "REG-5 [004]",
        gettext_noop("Mini programs per ID number"),
    ),
    Rule(
        "registration.phone_max_miniprograms",
        5,
        gettext_noop("mini programs"),
        "REG-5 [004]",
        gettext_noop("Mini programs per administrator phone"),
    ),
    Rule(
        "registration.sms_code_length",
        6,
        gettext_noop("digits"),
        "REG-5 [004]",
        gettext_noop("Digits in an SMS code"),
        minimum=4,
        maximum=10,
    ),
    Rule(
        "registration.sms_code_ttl_seconds",
        600,
        gettext_noop("seconds"),
        "REG-5 [004]",
        gettext_noop("Lifetime of an SMS code"),
        minimum=1,
    ),
    Rule(
        "registration.sms_resend_interval_seconds",
        60,
        gettext_noop("seconds"),
        "REG-5 [004]",
        gettext_noop("Minimum wait before sending another SMS code"),
    ),
    Rule(
        "registration.sms_code_max_attempts",
        5,
        gettext_noop("attempts"),
        "REG-5 [004]",
        gettext_noop("Wrong entries before an SMS code is void"),
        minimum=1,
    ),
    Rule(
        "registration.min_age_years",
        18,
        gettext_noop("years"),
        "REG-5 [001]",
        gettext_noop("Minimum age of a personal subject / administrator"),
    ),
    Rule(
        "registration.remittance_window_days",
        10,
        gettext_noop("days"),
        "REG-6 [001, 003]",
        gettext_noop("Days to complete the corporate remittance"),
    ),
    Rule(
        "registration.remittance_amount_min_fen",
        1,
        gettext_noop("fen"),
        "REG-6 [001]",
        gettext_noop("Smallest random remittance amount"),
    ),
    Rule(
        "registration.remittance_amount_max_fen",
        99,
        gettext_noop("fen"),
        "REG-6 [001]",
        gettext_noop("Largest random remittance amount"),
    ),
    Rule(
        "registration.certification_fee_fen",
        30000,
        gettext_noop("fen"),
        "REG-6 / CER-2 [001]",
        gettext_noop("Certification fee (300 CNY)"),
    ),
    Rule(
        "certification.validity_days",
        365,
        gettext_noop("days"),
        "CER-1 (WeChat certification is valid for one year) [001]",
        gettext_noop("How long a certification lasts before it must be renewed"),
        minimum=1,
    ),
    Rule(
        "registration.statement_max_bytes",
        2 * 1024 * 1024,
        gettext_noop("bytes"),
        "REG-6 [001]",
        gettext_noop("Largest bank statement upload for remittance matching"),
    ),
    # Login and QR tickets (REG-10). Failures are counted per account from one address,
    # per address and per account from all addresses (issue 9 item 5): at a limit, only
    # the right password of an account with the administrator's scan goes on (to the
    # scan); see `accounts.services.login._password_step`.
    Rule(
        "login.failure_window_seconds",
        900,
        gettext_noop("seconds"),
        "REG-10",
        gettext_noop("Window in which failed logins are counted"),
        minimum=1,
    ),
    Rule(
        "login.max_failures_per_account_address",
        5,
        gettext_noop("attempts"),
        "REG-10 / issue 9 item 5",
        gettext_noop("Failed logins per account from one address in the window"),
        minimum=1,
    ),
    Rule(
        "login.max_failures_per_account",
        50,
        gettext_noop("attempts"),
        "REG-10 / issue 9 item 5",
        gettext_noop("Failed logins per account from all addresses in the window"),
        minimum=1,
    ),
    Rule(
        "login.max_failures_per_address",
        20,
        gettext_noop("attempts"),
        "REG-10",
        gettext_noop("Failed logins per client address in the window"),
        minimum=1,
    ),
    # Forgotten password (issue 10 item 2): every request is counted, known email or not,
    # so the throttle tells nothing about which emails have an account.
    Rule(
        "password_reset.link_ttl_minutes",
        30,
        gettext_noop("minutes"),
        "REG-10 (forgot password)",
        gettext_noop("Lifetime of a password reset link"),
        minimum=1,
    ),
    Rule(
        "password_reset.window_seconds",
        3600,
        gettext_noop("seconds"),
        "REG-10 (forgot password)",
        gettext_noop("Window in which password reset requests are counted"),
        minimum=1,
    ),
    Rule(
        "password_reset.max_requests_per_email",
        5,
        gettext_noop("requests"),
        "REG-10 (forgot password)",
        gettext_noop("Password reset requests per email in the window"),
    ),
    Rule(
        "password_reset.max_requests_per_address",
        20,
        gettext_noop("requests"),
        "REG-10 (forgot password)",
        gettext_noop("Password reset requests per client address in the window"),
    ),
    Rule(
        "purge.password_resets_after_hours",
        24,
        gettext_noop("hours"),
        "retention: expired rows removed by `miniport purge`",
        gettext_noop("How long expired password reset links and old requests are kept"),
    ),
)
