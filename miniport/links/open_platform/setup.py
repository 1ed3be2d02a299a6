"""What this part registers with the registries below it, called from its
AppConfig.ready(): error codes, policy rows, audit labels, the binding scan's ticket
purpose and the review kind of the developer qualification certification."""


def ready() -> None:
    from miniport.links.open_platform import audit_actions, errors, policy, purposes  # noqa: F401
    from miniport.links.open_platform.certification import register_kind
    from miniport.links.open_platform.selectors import LOGIN_OPEN_APPID, login_open_appid_sql
    from miniport.miniprograms.services.credential_sql import register_login_column

    register_kind()
    # jscode2session's unionid: the binding read by the login statement itself.
    register_login_column(LOGIN_OPEN_APPID, login_open_appid_sql())
