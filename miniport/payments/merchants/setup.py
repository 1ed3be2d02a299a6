"""What this part of the payments domain registers with the registries below it, called
from PaymentsConfig.ready(): the merchants' error codes, policy rows, audit labels, QR
ticket purposes (the API key's reveal and rotation), the review kind "merchant" and the
delivery routes telling its decisions to the mini program."""


def ready() -> None:
    from miniport.payments.merchants import audit_actions, errors, policy, purposes  # noqa: F401
    from miniport.payments.merchants.notifications import register_routes
    from miniport.payments.merchants.review_kind import register_kind

    register_kind()
    register_routes()
