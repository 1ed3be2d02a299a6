"""The merchants' rules (PAY-1), registered with the kernel's table from `setup.ready()`."""

from django.utils.translation import gettext_noop

from miniport.core.policy import Rule, register

register(
    Rule(
        "merchant.orders_page_size",
        20,
        gettext_noop("orders"),
        "PAY-1",
        gettext_noop("Orders on one page of the console's order list"),
        maximum=100,
        minimum=1,
    ),
)
