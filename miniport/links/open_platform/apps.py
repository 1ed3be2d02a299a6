from django.apps import AppConfig


class OpenPlatformConfig(AppConfig):
    name = "miniport.links.open_platform"
    label = "open_platform"

    def ready(self) -> None:
        # Error codes, policy rows, audit labels, ticket purposes, review kinds and launch
        # contexts register with the registries of the floors below.
        from miniport.links.open_platform import setup

        setup.ready()
