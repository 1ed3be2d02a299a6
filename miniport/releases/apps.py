from django.apps import AppConfig


class ReleasesConfig(AppConfig):
    name = "miniport.releases"
    label = "releases"

    def ready(self) -> None:
        # Register this domain's error codes and policy rows with the kernel's registries.
        from . import errors, policy  # noqa: F401

        # The review kind "code" (VER-3..VER-5) with the review machine.
        from .review_kind import register_kind

        register_kind()
