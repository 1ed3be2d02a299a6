"""What this part of the payments domain registers with the registries below it, called
from PaymentsConfig.ready()."""


def ready() -> None:
    pass
