"""The checks a developer's callback URL passes (message push, webhooks): at most 500
characters, parseable with a valid port, http:// or https://, a host, no user information.
Each refusal carries the caller's error code and field."""

from __future__ import annotations

from urllib.parse import urlsplit

from miniport.core.errors import ErrorCode, PlatformError


def check_callback_url(text: str, *, code: ErrorCode, field: str) -> str:
    """`text` (already stripped, not empty) if it is a usable callback URL."""
    if len(text) > 500:
        raise PlatformError(code, field=field, reason="at most 500 characters")
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        raise PlatformError(code, field=field, reason="not a URL")
    if parts.scheme not in ("http", "https"):
        raise PlatformError(code, field=field, reason="use http:// or https://")
    if not parts.hostname:
        raise PlatformError(code, field=field, reason="no host")
    if parts.username or parts.password:
        raise PlatformError(code, field=field, reason="no user information")
    return text
