"""What this part of the plugins domain registers with the registries below it, called
from PluginsConfig.ready()."""


def ready() -> None:
    pass
