"""Upload keys (B-10, VER-1): the key pairs with which automation uploads code, like
WeChat's CI code-upload key, used together with the mini program's IP whitelist.

- `upload_key_create(*, actor, miniprogram, name)` makes an Ed25519 key pair and answers
  the key row and the private key as PKCS#8 PEM, handed out this once: only the public
  half (PEM) and its fingerprint are stored. At most `dev.upload_keys_max` active keys.
- `upload_key_revoke(*, actor, key)` ends a key at once; a revoked key stays listed.
- `upload_key_verify(*, appid, key_fingerprint, signature, signed_bytes, client_ip)`
  answers the key when `signature` is its Ed25519 signature of `signed_bytes`.
- `upload_request_verify(...)` is what the upload endpoint calls: the signed message of
  one upload (`upload_message`), the timestamp within `dev.upload_signature_window_seconds`
  of now, then `upload_key_verify`, then the signature remembered for twice the window
  (in the database, `core.once`, which every web process shares) so the same signed
  request cannot be sent again.

The fingerprint is the sha256 (hex) of the raw 32-byte public key; the key file the
console and `miniport app upload-key` hand out is the private key alone, from which the
command line derives the fingerprint.

The signed message of an upload (UTF-8, lines joined by "\\n"):
`miniport-upload-v1`, the AppID, the version, the timestamp (Unix seconds), the sha256
(hex) of the package's bytes, and the description percent-encoded (`quote(desc, safe="")`).

Refusals of `upload_key_verify`, in the order they are checked (each one changes nothing;
each tells a caller without the private key nothing about the key's state):
- the AppID names no mini program: 40013 INVALID_APPID;
- the fingerprint names no key of that mini program: UPLOAD_KEY_UNKNOWN;
- the signature is not the key's signature of these bytes: UPLOAD_SIGNATURE_INVALID;
- the key was revoked: UPLOAD_KEY_REVOKED;
- the caller's address is outside a non-empty IP whitelist of the mini program: 40164
  IP_NOT_WHITELISTED (WeChat's CI key refuses unlisted addresses when its whitelist is
  on). Decision: an empty whitelist lets every address upload with a valid key, the same
  rule as the AppSecret's (DEV-2); set the whitelist to hold CI to its addresses.
`upload_request_verify` adds UPLOAD_TIMESTAMP_STALE (checked first) and UPLOAD_REPLAYED
(last, once the signature verified).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from urllib.parse import quote

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.db import transaction

from miniport.core import audit, clock, once, policy
from miniport.core.actors import Actor
from miniport.core.errors import PlatformError
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models import MiniProgram, UploadKey
from miniport.miniprograms.services.changes import settings_for
from miniport.miniprograms.services.devsettings import ip_allowed

NAME_MAX = 64
MESSAGE_VERSION = "miniport-upload-v1"
_FINGERPRINT = re.compile(r"^[0-9a-f]{64}\Z")


def fingerprint_of(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def private_key_fingerprint(private_pem: bytes) -> str:
    """The fingerprint of the key whose private half this PEM holds (the command line's
    way to name its key). ValueError when it is not an Ed25519 private key."""
    key = serialization.load_pem_private_key(private_pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("not an Ed25519 private key")
    return fingerprint_of(key.public_key())


def upload_message(
    *, appid: str, version: str, timestamp: int | str, package_sha256: str, desc: str = ""
) -> bytes:
    """The bytes an upload's signature covers (see the module's docstring)."""
    lines = [MESSAGE_VERSION, appid, version, str(timestamp), package_sha256.lower()]
    lines.append(quote(desc, safe=""))
    return "\n".join(lines).encode("utf-8")


def sign_upload(private_pem: bytes, message: bytes) -> str:
    """The base64 signature of `message` with this private key (the command line's half)."""
    key = serialization.load_pem_private_key(private_pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("not an Ed25519 private key")
    return base64.b64encode(key.sign(message)).decode("ascii")


def active_keys(miniprogram: MiniProgram):
    return UploadKey.objects.filter(miniprogram=miniprogram, revoked_at__isnull=True)


def upload_key_create(
    *, actor: Actor, miniprogram: MiniProgram, name: str
) -> tuple[UploadKey, str]:
    """A new key pair: the stored key (public half) and the private key PEM, shown once."""
    name = (name or "").strip()
    if not name or len(name) > NAME_MAX or not name.isprintable():
        raise PlatformError(MiniProgramError.UPLOAD_KEY_NAME_INVALID, field="name", limit=NAME_MAX)
    private = Ed25519PrivateKey.generate()
    public = private.public_key()
    public_pem = public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")
    with transaction.atomic():
        # The mini program's row serialises key creation (the limit holds under races).
        MiniProgram.objects.select_for_update().filter(pk=miniprogram.pk).first()
        limit = policy.value("dev.upload_keys_max")
        if active_keys(miniprogram).count() >= limit:
            raise PlatformError(MiniProgramError.UPLOAD_KEY_LIMIT, field="name", limit=limit)
        key = UploadKey.objects.create(
            miniprogram=miniprogram,
            name=name,
            public_key=public_pem,
            fingerprint=fingerprint_of(public),
            created_by=actor.label or actor.kind,
            created_at=clock.now(),
        )
        audit.record(
            actor,
            "upload_key.create",
            target=key,
            appid=miniprogram.appid,
            after={"name": key.name, "fingerprint": key.fingerprint},
        )
    return key, private_pem


def upload_key_revoke(*, actor: Actor, key: UploadKey) -> UploadKey:
    """End the key at once. Revoking a revoked key changes nothing and records nothing."""
    with transaction.atomic():
        now = clock.now()
        changed = UploadKey.objects.filter(pk=key.pk, revoked_at__isnull=True).update(
            revoked_at=now
        )
        key.refresh_from_db()
        if changed:
            audit.record(
                actor,
                "upload_key.revoke",
                target=key,
                appid=key.miniprogram.appid,
                before={"fingerprint": key.fingerprint, "revoked_at": None},
                after={"fingerprint": key.fingerprint, "revoked_at": now},
            )
    return key


def _signature_bytes(signature: str | bytes) -> bytes:
    if isinstance(signature, bytes):
        return signature
    try:
        return base64.b64decode((signature or "").strip(), validate=True)
    except (binascii.Error, ValueError):
        return b""


def upload_key_verify(
    *,
    appid: str,
    key_fingerprint: str,
    signature: str | bytes,
    signed_bytes: bytes,
    client_ip: str,
) -> UploadKey:
    """The key that signed `signed_bytes`, or the refusal (see the module's docstring)."""
    miniprogram = MiniProgram.objects.filter(appid=(appid or "").strip()).first()
    if miniprogram is None:
        raise PlatformError(MiniProgramError.INVALID_APPID, field="appid")
    fingerprint = (key_fingerprint or "").strip().lower()
    key = None
    if _FINGERPRINT.match(fingerprint):
        key = UploadKey.objects.filter(miniprogram=miniprogram, fingerprint=fingerprint).first()
    if key is None:
        raise PlatformError(MiniProgramError.UPLOAD_KEY_UNKNOWN, field="key")
    public = serialization.load_pem_public_key(key.public_key.encode("ascii"))
    assert isinstance(public, Ed25519PublicKey)  # only Ed25519 keys are ever stored
    try:
        public.verify(_signature_bytes(signature), signed_bytes)
    except InvalidSignature:
        raise PlatformError(MiniProgramError.UPLOAD_SIGNATURE_INVALID, field="signature")
    if key.revoked_at is not None:
        raise PlatformError(MiniProgramError.UPLOAD_KEY_REVOKED, field="key")
    if not ip_allowed(list(settings_for(miniprogram).ip_whitelist or []), client_ip):
        raise PlatformError(MiniProgramError.IP_NOT_WHITELISTED, ip=client_ip)
    used_at = clock.now()
    UploadKey.objects.filter(pk=key.pk).update(last_used_at=used_at, last_used_ip=client_ip)
    key.last_used_at, key.last_used_ip = used_at, client_ip
    return key


def upload_request_verify(
    *,
    appid: str,
    key_fingerprint: str,
    signature: str,
    version: str,
    timestamp: str,
    package_sha256: str,
    desc: str,
    client_ip: str,
) -> UploadKey:
    """One signed upload request: fresh, signed by an active key of the app, allowed from
    this address, and not seen before. Answers the key."""
    window = policy.value("dev.upload_signature_window_seconds")
    try:
        sent_at = int((timestamp or "").strip())
    except ValueError:
        raise PlatformError(
            MiniProgramError.UPLOAD_TIMESTAMP_STALE, field="timestamp", window=window
        )
    if abs(clock.now().timestamp() - sent_at) > window:
        raise PlatformError(
            MiniProgramError.UPLOAD_TIMESTAMP_STALE, field="timestamp", window=window
        )
    message = upload_message(
        appid=appid, version=version, timestamp=sent_at, package_sha256=package_sha256, desc=desc
    )
    key = upload_key_verify(
        appid=appid,
        key_fingerprint=key_fingerprint,
        signature=signature,
        signed_bytes=message,
        client_ip=client_ip,
    )
    refuse_replayed_upload(signature, window)
    return key


def refuse_replayed_upload(signature: str, window: int) -> None:
    """UPLOAD_REPLAYED for a signature already used while its timestamp is still fresh
    (2 × the window covers a timestamp ahead of the clock); the use is remembered in the
    database, which every web process shares."""
    seen = "upload-signature:" + hashlib.sha256(_signature_bytes(signature)).hexdigest()
    if not once.first_use(seen, lifetime_seconds=2 * window):
        raise PlatformError(MiniProgramError.UPLOAD_REPLAYED, field="signature")
