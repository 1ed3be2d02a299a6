from django.apps import AppConfig


class IdentitiesConfig(AppConfig):
    name = "miniport.identities"
    label = "identities"

    def ready(self) -> None:
        # Register this domain's error codes, policy rows and ticket purpose with the
        # kernel's registries and its own.
        from . import audit_actions, errors, policy, purposes  # noqa: F401

        # And the rows it keeps only for a while with the kernel's purge.
        from .retention import register_purges

        register_purges()
