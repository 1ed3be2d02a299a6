from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "miniport.ops"
    label = "ops"
