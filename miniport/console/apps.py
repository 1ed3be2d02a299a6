from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "miniport.console"
    label = "console"

    def ready(self) -> None:
        # Register the console's own policy rows with the kernel's table.
        from . import audit_actions, policy  # noqa: F401
