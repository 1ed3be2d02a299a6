from django.apps import AppConfig


class EnterpriseConfig(AppConfig):
    name = "miniport.links.enterprise"
    label = "enterprise"

    def ready(self) -> None:
        # Error codes, policy rows, audit labels, ticket purposes, review kinds and launch
        # contexts register with the registries of the floors below.
        from miniport.links.enterprise import setup

        setup.ready()
