from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "miniport.core"
    label = "core"
    verbose_name = "Miniport kernel"

    def ready(self) -> None:
        from miniport.core import (
            audit_actions,  # noqa: F401 - names its audit actions
            checks,  # noqa: F401 - registers the deploy checks
            once,
            purge,
        )

        purge.register("used_once_marks", once.expired)
