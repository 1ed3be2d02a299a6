"""What this part of the payments domain registers with the registries below it, called
from PaymentsConfig.ready()."""


def ready() -> None:
    from miniport.payments.notifications import (
        policy,  # noqa: F401  (registers its rows)
        receiver,
        receivers,
    )
    from miniport.payments.notifications.services import register_route

    register_route()
    receivers.register(receiver.NAME, receiver.receive)
