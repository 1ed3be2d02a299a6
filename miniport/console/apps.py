from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "miniport.console"
    label = "console"
