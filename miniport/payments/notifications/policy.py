"""The notifications' rules: the v2 payment API's retry schedule (reference §4.3), scaled
for time compression, and the attempts and time limit of one delivery."""

from django.utils.translation import gettext_noop

from miniport.core.policy import Rule, register

register(
    Rule(
        "pay.notify_max_attempts",
        16,
        gettext_noop("attempts"),
        "PAY-1 wechat-pay-v2 §4.3 (15 retries after the first attempt)",
        gettext_noop("Attempts at one payment or refund notification before it is given up"),
        minimum=1,
    ),
    Rule(
        "pay.notify_schedule_percent",
        100,
        gettext_noop("percent"),
        "PAY-1 wechat-pay-v2 §4.3 (15s/15s/30s/3m/10m/20m/30m/30m/30m/60m/3h/3h/3h/6h/6h)",
        gettext_noop(
            "Waits between notification attempts as a share of the payment API's schedule "
            "(15 s to 6 h; below 100 compresses time for tests and demonstrations)"
        ),
    ),
    Rule(
        "pay.notify_timeout_seconds",
        5,
        gettext_noop("seconds"),
        "PAY-1 wechat-pay-v2 §4.3",
        gettext_noop("Time a merchant's server has to acknowledge one notification"),
        minimum=1,
    ),
)
