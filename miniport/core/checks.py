"""System checks of the kernel: `manage.py check --deploy` refuses a production start whose
secrets were generated on this machine rather than given by the operator."""

from __future__ import annotations

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def secrets_come_from_the_environment(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    local = list(getattr(settings, "SECRETS_FROM_LOCAL_FILE", []))
    if not local:
        return []
    return [
        checks.Error(
            "These secrets were generated into var/secrets.json instead of being set in the "
            f"environment: {', '.join(local)}.",
            hint="Set them as environment variables from the deployment's secret store, "
            "so a rebuilt machine keeps the keys that opened its data.",
            id="miniport.E001",
        )
    ]
