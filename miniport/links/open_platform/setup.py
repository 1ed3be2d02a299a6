"""What this part registers with the registries below it, called from its
AppConfig.ready()."""


def ready() -> None:
    pass
