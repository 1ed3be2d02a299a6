"""The payment sandbox's rules (PAY-1; WeChat Pay v2 reference §3).

Registered with the kernel's table from `setup.ready()`."""

from django.utils.translation import gettext_noop

from miniport.core.policy import Rule, register

register(
    Rule(
        "pay.max_total_fee_fen",
        100_000_000,
        gettext_noop("fen"),
        "PAY-1",
        gettext_noop("Largest amount of one sandbox order (1,000,000 CNY by default)"),
        maximum=2_147_483_647,  # Order.total_fee
    ),
    Rule(
        "pay.prepay_valid_seconds",
        7200,
        gettext_noop("seconds"),
        "PAY-1 wechat-pay-v2 §3.1",
        gettext_noop("How long a prepay_id can be paid when the order names no time_expire"),
    ),
    Rule(
        "pay.min_expire_seconds",
        60,
        gettext_noop("seconds"),
        "PAY-1 wechat-pay-v2 §3.1",
        gettext_noop("Shortest time between placing an order and its time_expire"),
    ),
    Rule(
        "pay.refund_settle_seconds",
        5,
        gettext_noop("seconds"),
        "PAY-1 wechat-pay-v2 §3.4",
        gettext_noop("Time a sandbox refund stays in processing before it succeeds"),
    ),
    Rule(
        "pay.refunds_per_order",
        50,
        gettext_noop("refunds"),
        "PAY-1 wechat-pay-v2 §3.4",
        gettext_noop("Refunds one order may have"),
    ),
    Rule(
        "pay.refund_window_days",
        365,
        gettext_noop("days"),
        "PAY-1 wechat-pay-v2 §3.4",
        gettext_noop("Days after payment an order can still be refunded"),
    ),
    Rule(
        "pay.refundquery_page_size",
        10,
        gettext_noop("refunds"),
        "PAY-1 wechat-pay-v2 §3.5",
        gettext_noop("Refunds one refund query answers per page"),
        minimum=1,
        maximum=100,
    ),
)
