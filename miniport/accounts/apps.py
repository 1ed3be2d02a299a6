from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "miniport.accounts"
    label = "accounts"
