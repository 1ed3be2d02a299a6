"""Certification's rules (CER-1, CER-2). The fee is the accounts row
`registration.certification_fee_fen` and the term `certification.validity_days`; these
are the renewal window, the reminders before expiry and the documents' limits."""

from django.utils.translation import gettext_noop

from miniport.core.policy import Rule, register

# The reminders before a certification runs out, most distant first: one row each.
REMINDER_RULES = (
    "certification.reminder_first_days",
    "certification.reminder_second_days",
    "certification.reminder_last_days",
)

register(
    Rule(
        "certification.renewal_window_days",
        90,
        gettext_noop("days"),
        "CER-1 (WeChat: the annual review opens three months before expiry)",
        gettext_noop("How many days before expiry a certification may be renewed"),
        maximum=3650,
    ),
    Rule(
        REMINDER_RULES[0],
        30,
        gettext_noop("days"),
        "CER-1 (reminders before expiry)",
        gettext_noop("First reminder before a certification expires (0: none)"),
        maximum=3650,
    ),
    Rule(
        REMINDER_RULES[1],
        7,
        gettext_noop("days"),
        "CER-1 (reminders before expiry)",
        gettext_noop("Second reminder before a certification expires (0: none)"),
        maximum=3650,
    ),
    Rule(
        REMINDER_RULES[2],
        1,
        gettext_noop("days"),
        "CER-1 (reminders before expiry)",
        gettext_noop("Last reminder before a certification expires (0: none)"),
        maximum=3650,
    ),
    Rule(
        "certification.document_max_bytes",
        5 * 1024 * 1024,
        gettext_noop("bytes"),
        "CER-2 (documents of a certification application)",
        gettext_noop("Largest certification document (image or PDF)"),
    ),
    Rule(
        "certification.documents_max",
        10,
        gettext_noop("documents"),
        "CER-2 (documents of a certification application)",
        gettext_noop("Most documents one certification application may hold"),
        maximum=50,
    ),
)
