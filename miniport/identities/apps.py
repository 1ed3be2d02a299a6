from django.apps import AppConfig


class IdentitiesConfig(AppConfig):
    name = "miniport.identities"
    label = "identities"
