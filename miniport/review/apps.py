from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "miniport.review"
    label = "review"

    def ready(self) -> None:
        # Register this floor's error codes and policy rows with the kernel's registries.
        from . import audit_actions, errors, policy  # noqa: F401
