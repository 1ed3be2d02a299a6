"""What this part of the plugins domain registers with the registries below it, called
from PluginsConfig.ready(): the plugin payment's error codes, policy rows, audit labels
and the review kind "plugin_payment"."""


def ready() -> None:
    from miniport.plugins.payment import audit_actions, errors, policy  # noqa: F401
    from miniport.plugins.payment.review_kind import register_kind

    register_kind()
