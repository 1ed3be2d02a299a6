from django.apps import AppConfig


class OfficialAccountsConfig(AppConfig):
    name = "miniport.links.official_accounts"
    label = "official_accounts"

    def ready(self) -> None:
        # Error codes, policy rows, audit labels, ticket purposes, review kinds and launch
        # contexts register with the registries of the floors below.
        from miniport.links.official_accounts import setup

        setup.ready()
