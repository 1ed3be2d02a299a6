"""Message push (DEV-3): the developer's server URL, token, EncodingAESKey and mode.

The server URL may be http:// or https:// (WeChat accepts both); it is saved only after
WeChat's URL verification handshake succeeds: a real GET through `core.outbound` with
signature, timestamp, nonce and echostr, answered with the echostr. Outbound calls refuse
private and loopback targets unless the operator allows them. Both changes lock, compare,
save and record through `services.changes.settings_change`.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time

from miniport.core import clock, ids, outbound, policy
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models import DevSettings, MiniProgram
from miniport.miniprograms.models.devsettings import PushFormat, PushMode
from miniport.miniprograms.services.callback_urls import check_callback_url
from miniport.miniprograms.services.changes import settings_change

_LETTERS_DIGITS = re.compile(r"^[A-Za-z0-9]+\Z")


def push_signature(token: str, timestamp: str, nonce: str) -> str:
    """WeChat's signature: sha1 of the sorted (token, timestamp, nonce), concatenated."""
    return hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()  # noqa: S324


def _check_push_url(url: str) -> str:
    text = (url or "").strip()
    if not text:
        raise PlatformError(CoreError.FIELD_REQUIRED, field="push_url")
    return check_callback_url(text, code=MiniProgramError.PUSH_URL_INVALID, field="push_url")


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
    *,
    actor: Actor,
    miniprogram: MiniProgram,
    url: str,
    token: str,
    aes_key: str,
    mode: str,
    data_format: str = PushFormat.XML,
) -> DevSettings:
    """Check the input, run the URL handshake, then enable message push with it. The data
    format (XML or JSON) is how pushed events are written (`services.push_events`)."""
    if mode not in PushMode.values:
        raise PlatformError(CoreError.FIELD_INVALID, field="push_mode", reason="unknown mode")
    if data_format not in PushFormat.values:
        raise PlatformError(CoreError.FIELD_INVALID, field="push_format", reason="XML or JSON")
    url = _check_push_url(url)
    token = _check_push_token(token)
    aes_key = _check_aes_key(aes_key, mode)
    push_verify(url, token)  # outside the transaction: a network call holds no lock
    configured = {
        "push_url": url,
        "push_token": token,
        "push_aes_key": aes_key,
        "push_mode": mode,
        "push_format": data_format,
        "push_enabled": True,
        "push_verified_at": clock.now(),  # a new time: every verified configuration saves
    }
    change = settings_change(
        actor=actor,
        miniprogram=miniprogram,
        action="push_configure",
        part="push",
        read=lambda dev: {name: getattr(dev, name) for name in configured},
        change=lambda before: configured,
        audited=("push_url", "push_mode", "push_enabled"),
    )
    return change.dev


def push_disable(*, actor: Actor, miniprogram: MiniProgram) -> DevSettings:
    change = settings_change(
        actor=actor,
        miniprogram=miniprogram,
        action="push_disable",
        part="push",
        read=lambda dev: {"push_enabled": dev.push_enabled},
        change=lambda before: {"push_enabled": False},
    )
    return change.dev
