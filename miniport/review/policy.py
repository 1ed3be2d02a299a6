"""The review machine's numbers: how long a review may wait before the desk colours it.

Registered with the kernel's table from this app's `ready()`."""

from django.utils.translation import gettext_noop

from miniport.core.policy import Rule, register

register(
    Rule(
        "review.sla_warn_hours",
        24,
        gettext_noop("hours"),
        "B-4",
        gettext_noop("Waiting time after which the review desk shows a review as getting late"),
    ),
    Rule(
        "review.sla_hours",
        72,
        gettext_noop("hours"),
        "B-4",
        gettext_noop("Waiting time after which the review desk shows a review as overdue"),
    ),
)
