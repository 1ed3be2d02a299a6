"""What this part of the payments domain registers with the registries below it, called
from PaymentsConfig.ready(): its error codes, policy rows and audit labels, the review
kind "certification", the notices' delivery routes and the reminder sweep."""


def ready() -> None:
    from miniport.core import sweeps
    from miniport.payments.certification import audit_actions, errors, policy  # noqa: F401
    from miniport.payments.certification.notifications import register_routes
    from miniport.payments.certification.reminders import certification_reminders_send
    from miniport.payments.certification.review_kind import register_kind

    register_kind()
    register_routes()
    sweeps.register("certification.reminders", certification_reminders_send)
