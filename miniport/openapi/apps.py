from django.apps import AppConfig


class OpenapiConfig(AppConfig):
    name = "miniport.openapi"
    label = "openapi"
