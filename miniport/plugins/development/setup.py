"""What this part of the plugins domain registers with the registries below it, called
from PluginsConfig.ready(): the development part's error codes, policy rows and audit
labels."""


def ready() -> None:
    from miniport.plugins.development import audit_actions, errors, policy  # noqa: F401
