from django.apps import AppConfig


class RuntimeConfig(AppConfig):
    name = "miniport.runtime"
    label = "runtime"
