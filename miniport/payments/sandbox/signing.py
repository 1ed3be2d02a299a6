"""WeChat Pay v2 signatures and the flat `<xml>` wire format (reference §2, §4.2, §6).

`sign` leaves out `sign` and every empty value, sorts by key (byte order), joins
`k=v` with `&`, appends `&key=<key>` and hashes: MD5, or HMAC-SHA256 keyed with the
key itself. `sign_type`, when present, is signed like any other field."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import string
from collections.abc import Mapping
from xml.etree.ElementTree import ParseError

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from miniport.payments.sandbox.errors import WireError, wire

MD5 = "MD5"
HMAC_SHA256 = "HMAC-SHA256"
SIGN_TYPES = (MD5, HMAC_SHA256)
_NONCE_ALPHABET = string.ascii_letters + string.digits


def _present(value: object) -> bool:
    return value is not None and str(value) != ""


def string_to_sign(fields: Mapping[str, object], key: str) -> str:
    pairs = sorted(
        ((str(k), str(v)) for k, v in fields.items() if k != "sign" and _present(v)),
        key=lambda kv: kv[0].encode(),
    )
    return "&".join(f"{k}={v}" for k, v in pairs) + f"&key={key}"


def sign(fields: Mapping[str, object], key: str, sign_type: str = MD5) -> str:
    """The signature of `fields` with `key` (MD5 unless HMAC-SHA256 is asked)."""
    message = string_to_sign(fields, key).encode()
    if sign_type == MD5:
        return hashlib.md5(message).hexdigest().upper()  # noqa: S324 - the wire's algorithm
    if sign_type == HMAC_SHA256:
        return hmac.new(key.encode(), message, hashlib.sha256).hexdigest().upper()
    raise ValueError(f"unknown sign_type {sign_type!r}")


def verify(fields: Mapping[str, str], key: str) -> bool:
    """Whether `fields["sign"]` is the signature of the other fields, by their sign_type."""
    given = fields.get("sign") or ""
    sign_type = fields.get("sign_type") or MD5
    if not given or sign_type not in SIGN_TYPES or not key:
        return False
    return hmac.compare_digest(sign(fields, key, sign_type).encode(), given.upper().encode())


def _cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def to_xml(fields: Mapping[str, object]) -> str:
    """A flat `<xml>`: digits bare, any other text in CDATA; None values left out."""
    parts = ["<xml>"]
    for key, value in fields.items():
        if value is None:
            continue
        text = str(value)
        body = (
            text if (isinstance(value, int) or text.isdigit()) and text.isascii() else _cdata(text)
        )
        parts.append(f"<{key}>{body}</{key}>")
    parts.append("</xml>")
    return "".join(parts)


def parse_xml(body: bytes) -> dict[str, str]:
    """The fields of a flat UTF-8 `<xml>` document; empty elements give "".

    Raises WireError: POST_DATA_EMPTY, NOT_UTF8, XML_FORMAT_ERROR (not XML, entities or a
    DTD, another root, attributes, nested or repeated elements)."""
    if not body or not body.strip():
        raise wire("POST_DATA_EMPTY")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise wire("NOT_UTF8") from None
    try:
        root = fromstring(text, forbid_dtd=True)
    except (ParseError, DefusedXmlException, ValueError):
        raise wire("XML_FORMAT_ERROR") from None
    if root.tag != "xml" or root.attrib:
        raise wire("XML_FORMAT_ERROR")
    fields: dict[str, str] = {}
    for child in root:
        if not isinstance(child.tag, str) or child.attrib or len(child) or child.tag in fields:
            raise wire("XML_FORMAT_ERROR")
        fields[child.tag] = child.text or ""
    return fields


def nonce() -> str:
    """32 characters from letters and digits."""
    return "".join(secrets.choice(_NONCE_ALPHABET) for _ in range(32))


def _req_info_key(key: str) -> bytes:
    return hashlib.md5(key.encode()).hexdigest().encode()  # noqa: S324 - the wire's algorithm


def encrypt_req_info(plaintext: str, key: str) -> str:
    """The refund notification's `req_info` (§4.2): AES-256-ECB keyed with the lowercase
    hex MD5 of the merchant key, PKCS7, base64."""
    padder = padding.PKCS7(128).padder()
    data = padder.update(plaintext.encode()) + padder.finalize()
    encryptor = Cipher(algorithms.AES(_req_info_key(key)), modes.ECB()).encryptor()  # noqa: S305
    return base64.b64encode(encryptor.update(data) + encryptor.finalize()).decode()


def decrypt_req_info(ciphertext: str, key: str) -> str:
    """The inverse of `encrypt_req_info` (tests, receivers)."""
    decryptor = Cipher(algorithms.AES(_req_info_key(key)), modes.ECB()).decryptor()  # noqa: S305
    data = decryptor.update(base64.b64decode(ciphertext)) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    return (unpadder.update(data) + unpadder.finalize()).decode()


__all__ = [
    "HMAC_SHA256",
    "MD5",
    "SIGN_TYPES",
    "WireError",
    "decrypt_req_info",
    "encrypt_req_info",
    "nonce",
    "parse_xml",
    "sign",
    "string_to_sign",
    "to_xml",
    "verify",
]
