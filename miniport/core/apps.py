from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "miniport.core"
    label = "core"
    verbose_name = "Miniport kernel"
