from django.apps import AppConfig


class MobileConfig(AppConfig):
    name = "miniport.mobile"
    label = "mobile"
