"""The ops desk's own rules.

Registered with the kernel's table from this app's `ready()`."""

from django.utils.translation import gettext_noop

from miniport.core.policy import Rule, register

register(
    # Ops desk (B-7, B-8)
    Rule(
        "ops.page_size",
        50,
        gettext_noop("rows"),
        "B-7",
        gettext_noop("Rows per page on the ops desk lists (registrations, audit log)"),
    ),
)
