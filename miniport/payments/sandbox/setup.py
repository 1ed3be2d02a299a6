"""What this part of the payments domain registers with the registries below it, called
from PaymentsConfig.ready(): the sandbox's error codes, policy rows, audit labels and
its sweeps (refunds whose settlement time has come, unpaid orders past their deadline)."""


def ready() -> None:
    from miniport.core import sweeps
    from miniport.payments.sandbox import audit_actions, errors, policy  # noqa: F401
    from miniport.payments.sandbox.orders import orders_close_expired
    from miniport.payments.sandbox.refunds import refunds_settle_due

    sweeps.register("pay.refunds_settle_due", refunds_settle_due)
    sweeps.register("pay.orders_close_expired", orders_close_expired)
