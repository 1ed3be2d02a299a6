"""What this part of the plugins domain registers with the registries below it, called
from PluginsConfig.ready(): plugin versions' error codes, policy rows, audit labels, the
review kind "plugin" and the delivery routes telling its decisions to the owner."""


def ready() -> None:
    from miniport.plugins.versions import audit_actions, errors, policy  # noqa: F401
    from miniport.plugins.versions.notifications import register_routes
    from miniport.plugins.versions.review_kind import register_kind

    register_kind()
    register_routes()
