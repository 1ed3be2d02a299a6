"""Events pushed to the mini program's message-push URL in WeChat's format (DEV-3's
configuration; B-6, VER-5; wechat-api.md §4.14).

A push is a POST to the configured URL with ``signature``, ``timestamp`` and ``nonce`` in
the query, signed as the URL handshake is (`push.push_signature`: sha1 of the sorted
Token, timestamp and nonce). The body carries ``ToUserName`` (the AppID: the platform has
no separate original id), ``FromUserName``, ``CreateTime``, ``MsgType`` = ``event``,
``Event`` and the event's own fields, as XML (strings in CDATA) or JSON, per the
configuration's data format. The receiver answers ``success`` (any 2xx is taken).

Modes, as configured: plain sends the message as is; safe sends only ``ToUserName`` and
``Encrypt`` and adds ``encrypt_type=aes`` and ``msg_signature`` (sha1 of the sorted Token,
timestamp, nonce and Encrypt) to the query; compatible sends the plain fields and
``Encrypt`` together. ``Encrypt`` is WeChat's message encryption with the EncodingAESKey:
AES-256-CBC, key = base64 of the EncodingAESKey plus "=", IV its first 16 bytes, over
16 random bytes, the message length (4 bytes, network order), the message and the AppID,
padded PKCS#7 to 32 bytes; base64. wechatpy's WeChatCrypto opens it (the tests do).
"""

from __future__ import annotations

import base64
import json
import os
import struct
import time
from hashlib import sha1
from typing import Any

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from miniport.core import deliveries, ids, outbound, policy
from miniport.core.errors import PlatformError
from miniport.miniprograms.models import DevSettings, MiniProgram
from miniport.miniprograms.models.devsettings import PushFormat, PushMode
from miniport.miniprograms.services.push import push_signature

FROM_USER = "miniport"
_BLOCK = 32


def push_target(appid: str) -> DevSettings | None:
    """The mini program's push configuration when push is on, else None."""
    if not appid:
        return None
    dev = (
        DevSettings.objects.select_related("miniprogram")
        .filter(miniprogram__appid=appid, push_enabled=True)
        .exclude(push_url="")
        .first()
    )
    return dev


def encrypt(aes_key: str, appid: str, message: bytes, *, random16: bytes | None = None) -> str:
    key = base64.b64decode(aes_key + "=")
    text = (random16 or os.urandom(16)) + struct.pack(">I", len(message)) + message
    text += appid.encode()
    pad = _BLOCK - len(text) % _BLOCK
    text += bytes([pad]) * pad
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(encryptor.update(text) + encryptor.finalize()).decode("ascii")


def _cdata(value: str) -> str:
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def to_xml(fields: dict[str, Any]) -> str:
    parts = []
    for name, value in fields.items():
        text = str(value) if isinstance(value, int) else _cdata(str(value))
        parts.append(f"<{name}>{text}</{name}>")
    return "<xml>" + "".join(parts) + "</xml>"


def message_fields(
    miniprogram: MiniProgram, event: str, fields: dict[str, Any], *, create_time: int
) -> dict[str, Any]:
    return {
        "ToUserName": miniprogram.appid,
        "FromUserName": FROM_USER,
        "CreateTime": create_time,
        "MsgType": "event",
        "Event": event,
        **fields,
    }


def build(
    dev: DevSettings,
    event: str,
    fields: dict[str, Any],
    *,
    create_time: int,
    timestamp: str,
    nonce: str,
) -> tuple[bytes, dict[str, str], str]:
    """The body, the query parameters and the content type of one push."""
    message = message_fields(dev.miniprogram, event, fields, create_time=create_time)
    as_json = dev.push_format == PushFormat.JSON

    def render(document: dict[str, Any]) -> str:
        return json.dumps(document, ensure_ascii=False) if as_json else to_xml(document)

    params = {
        "signature": push_signature(dev.push_token, timestamp, nonce),
        "timestamp": timestamp,
        "nonce": nonce,
    }
    if dev.push_mode != PushMode.PLAIN and dev.push_aes_key:
        sealed = encrypt(dev.push_aes_key, dev.miniprogram.appid, render(message).encode())
        document = {"ToUserName": message["ToUserName"], "Encrypt": sealed}
        if dev.push_mode == PushMode.COMPATIBLE:
            document = {**message, "Encrypt": sealed}
        params["encrypt_type"] = "aes"
        params["msg_signature"] = sha1(  # noqa: S324 - WeChat's scheme
            "".join(sorted([dev.push_token, timestamp, nonce, sealed])).encode()
        ).hexdigest()
        body = render(document)
    else:
        body = render(message)
    content_type = "application/json" if as_json else "text/xml"
    return body.encode(), params, f"{content_type}; charset=utf-8"


def push_event(appid: str, event: str, fields: dict[str, Any], *, create_time: int) -> int:
    """Push one WeChat-format event (a delivery handler's work, in a worker); returns the
    receiver's HTTP status. Raises DeliveryFailed when it did not get through."""
    dev = push_target(appid)
    if dev is None:
        raise deliveries.DeliveryFailed("message push is off", final=True)
    body, params, content_type = build(
        dev,
        event,
        fields,
        create_time=create_time,
        timestamp=str(int(time.time())),
        nonce=ids.numeric_code(10),
    )
    try:
        answer = outbound.post(
            dev.push_url,
            body=body,
            params=params,
            headers={"Content-Type": content_type},
            timeout=policy.value("deliveries.timeout_seconds"),
        )
    except PlatformError as refused:
        raise deliveries.DeliveryFailed(refused.message(), final=True)
    except outbound.OutboundFailed as failure:
        raise deliveries.DeliveryFailed(failure.reason)
    if not 200 <= answer.status < 300:
        raise deliveries.DeliveryFailed(
            f"the receiver answered HTTP {answer.status}", status_code=answer.status
        )
    return answer.status
