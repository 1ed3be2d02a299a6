"""What this part registers with the registries below it, called from its
AppConfig.ready(): error codes, policy rows, audit labels, the scan of WW-3 and the
launch context "enterprise"."""


def ready() -> None:
    from miniport.links import launch as launch_contexts
    from miniport.links import signin  # noqa: F401  (the console sign-in's ticket purpose)
    from miniport.links.enterprise import audit_actions, errors, policy, purposes  # noqa: F401
    from miniport.links.enterprise.launch import VIA, check

    launch_contexts.register(VIA, check)
