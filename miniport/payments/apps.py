from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "miniport.payments"
    label = "payments"

    def ready(self) -> None:
        # Each part registers its error codes, policy rows, audit labels, review kinds and
        # delivery routes with the registries of the floors below.
        from .certification import setup as certification
        from .merchants import setup as merchants
        from .notifications import setup as notifications
        from .sandbox import setup as sandbox

        for part in (certification, merchants, sandbox, notifications):
            part.ready()
