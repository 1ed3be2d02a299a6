"""Message push (DEV-3): the developer's server URL, token, EncodingAESKey and mode.

The server URL may be http:// or https:// (WeChat accepts both); it is saved only after
WeChat's URL verification handshake succeeds: a real GET through `core.outbound` with
signature, timestamp, nonce and echostr, answered with the echostr. Outbound calls refuse
private and loopback targets unless the operator allows them.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time

from django.db import transaction

from miniport.core import clock, ids, outbound, policy
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models import DevSettings, MiniProgram
from miniport.miniprograms.models.devsettings import PushMode
from miniport.miniprograms.services.devsettings import record_change, settings_for

_LETTERS_DIGITS = re.compile(r"^[A-Za-z0-9]+\Z")


def push_signature(token: str, timestamp: str, nonce: str) -> str:
    """WeChat's signature: sha1 of the sorted (token, timestamp, nonce), concatenated."""
    return hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()  # noqa: S324


def _check_push_url(url: str) -> str:
    from urllib.parse import urlsplit

    text = (url or "").strip()
    if not text:
        raise PlatformError(CoreError.FIELD_REQUIRED, field="push_url")
    if len(text) > 500:
        raise PlatformError(
            MiniProgramError.PUSH_URL_INVALID, field="push_url", reason="at most 500 characters"
        )
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        raise PlatformError(MiniProgramError.PUSH_URL_INVALID, field="push_url", reason="not a URL")
    if parts.scheme not in ("http", "https"):
        raise PlatformError(
            MiniProgramError.PUSH_URL_INVALID, field="push_url", reason="use http:// or https://"
        )
    if not parts.hostname:
        raise PlatformError(MiniProgramError.PUSH_URL_INVALID, field="push_url", reason="no host")
    if parts.username or parts.password:
        raise PlatformError(
            MiniProgramError.PUSH_URL_INVALID, field="push_url", reason="no user information"
        )
    return text


def _check_push_token(token: str) -> str:
    text = (token or "").strip()
    low, high = policy.value("dev.push_token_min_length"), policy.value("dev.push_token_max_length")
    if not (low <= len(text) <= high) or not _LETTERS_DIGITS.match(text):
        raise PlatformError(
            MiniProgramError.PUSH_TOKEN_INVALID, field="push_token", min=low, max=high
        )
    return text


def _check_aes_key(aes_key: str, mode: str) -> str:
    text = (aes_key or "").strip()
    length = policy.value("dev.push_aes_key_length")
    if not text and mode == PushMode.PLAIN:
        return ""
    if len(text) != length or not _LETTERS_DIGITS.match(text):
        raise PlatformError(
            MiniProgramError.PUSH_AES_KEY_INVALID, field="push_aes_key", length=length
        )
    return text


def new_aes_key() -> str:
    """A random EncodingAESKey, as the console's "generate" button offers."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(secrets.choice(alphabet) for _ in range(policy.value("dev.push_aes_key_length")))


def push_verify(url: str, token: str) -> None:
    """WeChat's URL check: GET url?signature&timestamp&nonce&echostr; the server proves it
    knows the Token by answering the echostr. Refused or failed checks raise."""
    timestamp = str(int(time.time()))
    nonce = ids.numeric_code(10)
    echostr = ids.numeric_code(19)
    params = {
        "signature": push_signature(token, timestamp, nonce),
        "timestamp": timestamp,
        "nonce": nonce,
        "echostr": echostr,
    }
    try:
        response = outbound.get(
            url, params=params, timeout=policy.value("dev.push_verify_timeout_seconds")
        )
    except PlatformError as error:
        raise PlatformError(error.code, field="push_url", **error.params)
    except outbound.OutboundFailed as failure:
        raise PlatformError(
            MiniProgramError.PUSH_VERIFY_FAILED, field="push_url", reason=failure.reason
        )
    if response.status != 200:
        raise PlatformError(
            MiniProgramError.PUSH_VERIFY_FAILED,
            field="push_url",
            reason=f"HTTP status {response.status}",
        )
    if response.text().strip() != echostr:
        raise PlatformError(
            MiniProgramError.PUSH_VERIFY_FAILED,
            field="push_url",
            reason="the answer was not the echostr",
        )


def push_configure(
    *, actor: Actor, miniprogram: MiniProgram, url: str, token: str, aes_key: str, mode: str
) -> DevSettings:
    """Check the input, run the URL handshake, then enable message push with it."""
    if mode not in PushMode.values:
        raise PlatformError(CoreError.FIELD_INVALID, field="push_mode", reason="unknown mode")
    url = _check_push_url(url)
    token = _check_push_token(token)
    aes_key = _check_aes_key(aes_key, mode)
    push_verify(url, token)  # outside the transaction: a network call holds no lock
    with transaction.atomic():
        dev = settings_for(miniprogram, lock=True)
        before = {
            "push_url": dev.push_url,
            "push_mode": dev.push_mode,
            "push_enabled": dev.push_enabled,
        }
        dev.push_url, dev.push_token, dev.push_aes_key, dev.push_mode = url, token, aes_key, mode
        dev.push_enabled = True
        dev.push_verified_at = clock.now()
        dev.save()
        record_change(
            actor,
            miniprogram,
            dev,
            action="push_configure",
            part="push",
            before=before,
            after={"push_url": url, "push_mode": mode, "push_enabled": True},
        )
    return dev


def push_disable(*, actor: Actor, miniprogram: MiniProgram) -> DevSettings:
    with transaction.atomic():
        dev = settings_for(miniprogram, lock=True)
        if not dev.push_enabled:
            return dev
        dev.push_enabled = False
        dev.save(update_fields=["push_enabled", "updated_at"])
        record_change(
            actor,
            miniprogram,
            dev,
            action="push_disable",
            part="push",
            before={"push_enabled": True},
            after={"push_enabled": False},
        )
    return dev
