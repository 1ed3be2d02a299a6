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
    from miniport.links.official_accounts.credentials import is_official_account_token
    from miniport.miniprograms.services.credentials import OTHER_TOKEN_KINDS

    if is_official_account_token not in OTHER_TOKEN_KINDS:
        OTHER_TOKEN_KINDS.append(is_official_account_token)
