"""Issue 9 item 8: `miniport serve` on an address other than loopback refuses to start
while demo mode is on or any secret is a local or public one (`reachable_refusal`)."""

from __future__ import annotations

import ipaddress
from typing import Any

# The host-app secret `make run` sets when MINIPORT_HOST_APPS is not given: public.
DEMO_HOST_APP_SECRET = "miniport-demo-host"  # noqa: S105 - refused off loopback
HOST_APP_SECRET_MIN_LENGTH = 32


def is_loopback(host: str) -> bool:
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def reachable_refusal(host: str, settings: Any) -> str | None:
    """Why the server must not listen on `host`, or None: off loopback, demo mode (one-click
    sign-in as the demo administrator), secrets that came from var/secrets.json instead of
    the environment, and host-app secrets that are public or short are refused."""
    if is_loopback(host):
        return None
    where = f"--host {host} is reachable from other machines"
    if settings.DEMO_MODE:
        return (
            f"{where}: demo mode (one-click demo sign-in) is for loopback only; "
            "unset MINIPORT_DEMO_MODE or serve on 127.0.0.1"
        )
    if settings.SECRETS_FROM_LOCAL_FILE:
        names = ", ".join(settings.SECRETS_FROM_LOCAL_FILE)
        return f"{where}: set real secrets in the environment: {names}"
    weak = sorted(
        app
        for app, secret in settings.RUNTIME_HOST_APPS.items()
        if secret == DEMO_HOST_APP_SECRET or len(secret) < HOST_APP_SECRET_MIN_LENGTH
    )
    if weak:
        return (
            f"{where}: set MINIPORT_HOST_APPS with a random secret of at least "
            f"{HOST_APP_SECRET_MIN_LENGTH} characters for host app {', '.join(weak)} "
            "(not the demo one)"
        )
    return None
