"""What this part registers with the registries below it, called from its
AppConfig.ready()."""


def ready() -> None:
    from miniport.links import signin  # noqa: F401  (the console sign-in's ticket purpose)
    from miniport.links.official_accounts import (  # noqa: F401
        audit_actions,
        errors,
        launch,
        links,  # the ticket purpose of the administrator's confirmation
        policy,
    )
