from django.apps import AppConfig


class MiniprogramsConfig(AppConfig):
    name = "miniport.miniprograms"
    label = "miniprograms"
