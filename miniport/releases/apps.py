from django.apps import AppConfig


class ReleasesConfig(AppConfig):
    name = "miniport.releases"
    label = "releases"

    def ready(self) -> None:
        # Register this domain's error codes and policy rows with the kernel's registries.
        from . import audit_actions, errors, policy  # noqa: F401

        # The review kind "code" (VER-3..VER-5) with the review machine.
        from .review_kind import register_kind

        register_kind()

        # Review results and releases told to the mini program (B-6, VER-5).
        from .notifications import register_routes

        register_routes()

        # What the review desk shows of a code review: file tree, pre-checks, diff, the
        # rejection catalog (issue 8 section 3).
        from .review_desk import register_desk

        register_desk()
