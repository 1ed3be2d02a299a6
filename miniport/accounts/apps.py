from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "miniport.accounts"
    label = "accounts"

    def ready(self) -> None:
        # Register this domain's error codes, policy rows and QR ticket purposes with the
        # registries of the floors below.
        from . import audit_actions, errors, policy, purposes  # noqa: F401
        from .services import password_reset

        password_reset.register_route()

        from .retention import register_purges

        register_purges()
