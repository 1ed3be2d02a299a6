"""The checks a developer's callback URL passes (message push, webhooks): at most 500
characters, parseable with a valid port, http:// or https://, a host, no user information,
and not a loopback, private or link-local address written out (an IP literal or
`localhost`) unless the operator allows private targets (settings.OUTBOUND_ALLOW_PRIVATE).
A host name is not resolved here (no outbound call inside a web request): the worker's
delivery checks every address it resolves to (`core.outbound`). Each refusal carries the
caller's error code and field, the private target CoreError.OUTBOUND_TARGET_REFUSED."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings

from miniport.core.errors import CoreError, ErrorCode, PlatformError, Words
from miniport.core.outbound import address_allowed


def check_callback_url(text: str, *, code: ErrorCode, field: str) -> str:
    """`text` (already stripped, not empty) if it is a usable callback URL."""
    if len(text) > 500:
        raise PlatformError(
            code, field=field, reason=Words("最多 500 个字符", "at most 500 characters")
        )
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        raise PlatformError(code, field=field, reason=Words("不是网址", "not a URL"))
    if parts.scheme not in ("http", "https"):
        reason = Words("请使用 http:// 或 https://", "use http:// or https://")
        raise PlatformError(code, field=field, reason=reason)
    if not parts.hostname:
        raise PlatformError(code, field=field, reason=Words("缺少主机名", "no host"))
    if parts.username or parts.password:
        reason = Words("不能包含用户名或密码", "no user information")
        raise PlatformError(code, field=field, reason=reason)
    if _names_a_private_target(parts.hostname):
        # The refusal delivery would meet, said when the URL is saved.
        raise PlatformError(CoreError.OUTBOUND_TARGET_REFUSED, field=field)
    return text


def _names_a_private_target(host: str) -> bool:
    """The host is written as an address delivery would refuse, or as localhost."""
    if settings.OUTBOUND_ALLOW_PRIVATE:
        return False
    name = host.rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(name.split("%", 1)[0])
    except ValueError:
        return False  # a host name: checked by address when delivered
    return not address_allowed(name)
