"""What this part registers with the registries below it, called from its
AppConfig.ready(): error codes, policy rows, audit labels, the binding scan's ticket
purpose and the review kind of the developer qualification certification."""


def ready() -> None:
    from miniport.links.open_platform import audit_actions, errors, policy, purposes  # noqa: F401
    from miniport.links.open_platform.certification import register_kind

    register_kind()
