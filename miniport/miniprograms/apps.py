from django.apps import AppConfig


class MiniprogramsConfig(AppConfig):
    name = "miniport.miniprograms"
    label = "miniprograms"

    def ready(self) -> None:
        # Register this domain's error codes and policy rows with the kernel's registries,
        # and its QR ticket purposes with identities' registry.
        from . import audit_actions, errors, policy, purposes  # noqa: F401

        # And its review kinds (names, categories) with the review machine.
        from .review_kinds import register_kinds

        register_kinds()

        # The desk's decisions on names and categories reach the message centre and the
        # administrator's email.
        from .review_notifications import register_routes as register_review_notices

        register_review_notices()

        # Every event of a mini program may go to its signed webhooks (B-6).
        from .services.webhooks import register_route

        register_route()

        # The expired credentials it keeps only for a while go to the kernel's purge, and
        # the webhook secrets (sealed by explicit calls) to the key rotation.
        from miniport.core import vault

        from .retention import register_purges

        register_purges()
        vault.register_sealed_column("miniprograms.WebhookEndpoint", "secret_sealed")
