"""What this part of the plugins domain registers with the registries below it, called
from PluginsConfig.ready(): usage error codes, policy rows, audit labels, the notices of
applications and answers, and the submission guard of declared plugins (80066, 80067,
80082) that the releases domain runs without importing plugins."""


def ready() -> None:
    from miniport.plugins.usage import audit_actions, errors, policy  # noqa: F401
    from miniport.plugins.usage.guard import register_guard
    from miniport.plugins.usage.notifications import register_routes

    register_routes()
    register_guard()
