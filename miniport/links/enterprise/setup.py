"""What this part registers with the registries below it, called from its
AppConfig.ready()."""


def ready() -> None:
    from miniport.links import signin  # noqa: F401  (the console sign-in's ticket purpose)
