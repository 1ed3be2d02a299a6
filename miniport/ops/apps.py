from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "miniport.ops"
    label = "ops"

    def ready(self) -> None:
        # Register the desk's own policy rows with the kernel's table.
        from . import policy  # noqa: F401
