"""The accounts domain's rules: registration, verification and console login.

Registered with the kernel's table from this app's `ready()`."""

from miniport.core.policy import Rule, register

register(
    # Registration (REG)
    Rule(
        "registration.password_min_length",
        8,
        "characters",
        "REG-1 [004]",
        "Minimum password length",
    ),
    Rule(
        "registration.activation_link_ttl_hours",
        48,
        "hours",
        "REG-3 [001, 004]",
        "Lifetime of an activation link",
    ),
    Rule(
        "registration.activation_resend_interval_seconds",
        60,
        "seconds",
        "REG-3 [004]",
        "Minimum wait before resending the activation mail",
    ),
    Rule(
        "registration.id_number_max_miniprograms",
        5,
        "mini programs",
        "REG-5 [004]",
        "Mini programs per ID number",
    ),
    Rule(
        "registration.phone_max_miniprograms",
        5,
        "mini programs",
        "REG-5 [004]",
        "Mini programs per administrator phone",
    ),
    Rule("registration.sms_code_length", 6, "digits", "REG-5 [004]", "Digits in an SMS code"),
    Rule(
        "registration.sms_code_ttl_seconds",
        600,
        "seconds",
        "REG-5 [004]",
        "Lifetime of an SMS code",
    ),
    Rule(
        "registration.sms_resend_interval_seconds",
        60,
        "seconds",
        "REG-5 [004]",
        "Minimum wait before sending another SMS code",
    ),
    Rule(
        "registration.sms_code_max_attempts",
        5,
        "attempts",
        "REG-5 [004]",
        "Wrong entries before an SMS code is void",
    ),
    Rule(
        "registration.min_age_years",
        18,
        "years",
        "REG-5 [001]",
        "Minimum age of a personal subject / administrator",
    ),
    Rule(
        "registration.remittance_window_days",
        10,
        "days",
        "REG-6 [001, 003]",
        "Days to complete the corporate remittance",
    ),
    Rule(
        "registration.remittance_amount_min_fen",
        1,
        "fen",
        "REG-6 [001]",
        "Smallest random remittance amount",
    ),
    Rule(
        "registration.remittance_amount_max_fen",
        99,
        "fen",
        "REG-6 [001]",
        "Largest random remittance amount",
    ),
    Rule(
        "registration.certification_fee_fen",
        30000,
        "fen",
        "REG-6 / CER-2 [001]",
        "WeChat certification fee (300 CNY)",
    ),
    Rule(
        "registration.statement_max_bytes",
        2 * 1024 * 1024,
        "bytes",
        "REG-6 [001]",
        "Largest bank statement upload for remittance matching",
    ),
    # Login and QR tickets (REG-10)
    Rule(
        "login.failure_window_seconds",
        900,
        "seconds",
        "REG-10",
        "Window in which failed logins are counted",
    ),
    Rule(
        "login.max_failures_per_account",
        5,
        "attempts",
        "REG-10",
        "Failed logins per account in the window",
    ),
    Rule(
        "login.max_failures_per_address",
        20,
        "attempts",
        "REG-10",
        "Failed logins per client address in the window",
    ),
)
