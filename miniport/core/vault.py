"""Personal data and secrets at rest: envelope encryption (issue 9 item 6).

Every value gets its own random 256-bit data key; the value is encrypted with it
(AES-256-GCM), and the data key is wrapped (AES-256-GCM again) by the current
key-encryption key. The envelope names the key-encryption key that wrapped it, so
rotating keys only rewraps data keys and never touches the data itself:

    mpv1:<kek id>:<nonce + wrapped data key, base64url>:<nonce + ciphertext, base64url>

Key-encryption keys come from settings.DATA_KEYS, "id:key,id:key": the first wraps
new data keys, the others still open what they wrapped until `miniport keys rotate`
has rewrapped every envelope under the first. Each configured key string is turned into
32 bytes with HKDF-SHA256, its id bound into the derivation and into the wrap, so an
envelope whose id is edited no longer opens.

`SealedTextField` and `SealedJSONField` keep a model column sealed: the Python attribute
holds the clear value, the database only the envelope. They cannot be looked up by value
(each envelope is different); a column that is only looked up keeps a keyed digest
(`core.ids.digest`) instead.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import os
from collections.abc import Iterator
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import Exact

PREFIX = "mpv1"
_NONCE = 12
_DATA_AAD = b"miniport.vault/1:data"
_WRAP_AAD = b"miniport.vault/1:wrap:"


class VaultError(Exception):
    """A sealed value cannot be opened."""


class UnknownKey(VaultError):
    """The envelope was wrapped by a key-encryption key that DATA_KEYS no longer lists."""


class Tampered(VaultError):
    """The envelope is not one of ours, or was changed after sealing."""


class BadKeyConfiguration(VaultError):
    """settings.DATA_KEYS cannot be read."""


# --- keys ----------------------------------------------------------------------------------


def parse_keys(configured: str) -> list[tuple[str, str]]:
    """("id", "key string") pairs of a DATA_KEYS setting, current first."""
    pairs: list[tuple[str, str]] = []
    for item in (configured or "").split(","):
        item = item.strip()
        if not item:
            continue
        key_id, sep, secret = item.partition(":")
        key_id = key_id.strip()
        if not sep or not key_id or not secret or not key_id.replace("-", "").isalnum():
            raise BadKeyConfiguration(
                'MINIPORT_DATA_KEYS must read "id:key,id:key" (ids of letters, digits and '
                "dashes, each with a non-empty key)"
            )
        if any(known == key_id for known, _ in pairs):
            raise BadKeyConfiguration(f"MINIPORT_DATA_KEYS lists the key id {key_id!r} twice")
        pairs.append((key_id, secret))
    if not pairs:
        raise BadKeyConfiguration("MINIPORT_DATA_KEYS lists no key")
    return pairs


@functools.lru_cache(maxsize=8)
def _derived(configured: str) -> tuple[str, dict[str, bytes]]:
    pairs = parse_keys(configured)
    keys = {
        key_id: HKDF(
            algorithm=hashes.SHA256(),
            length=32,
            salt=None,
            info=b"miniport.vault/1:kek:" + key_id.encode(),
        ).derive(secret.encode())
        for key_id, secret in pairs
    }
    return pairs[0][0], keys


def _keys() -> tuple[str, dict[str, bytes]]:
    return _derived(settings.DATA_KEYS)


def current_key_id() -> str:
    return _keys()[0]


# --- envelopes -----------------------------------------------------------------------------


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def is_envelope(value: object) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX + ":")


def _parts(envelope: str) -> tuple[str, bytes, bytes]:
    fields = envelope.split(":") if isinstance(envelope, str) else []
    if len(fields) != 4 or fields[0] != PREFIX:
        raise Tampered("the value is not a sealed envelope")
    try:
        wrapped, sealed = _unb64(fields[2]), _unb64(fields[3])
    except (binascii.Error, ValueError):
        raise Tampered("the sealed envelope is damaged") from None
    if len(wrapped) != _NONCE + 32 + 16 or len(sealed) < _NONCE + 16:
        raise Tampered("the sealed envelope is damaged")
    return fields[1], wrapped, sealed


def _wrap(data_key: bytes) -> tuple[str, bytes]:
    key_id, keys = _keys()
    nonce = os.urandom(_NONCE)
    return key_id, nonce + AESGCM(keys[key_id]).encrypt(
        nonce, data_key, _WRAP_AAD + key_id.encode()
    )


def _unwrap(key_id: str, wrapped: bytes) -> bytes:
    keys = _keys()[1]
    kek = keys.get(key_id)
    if kek is None:
        raise UnknownKey(
            f"the value was sealed under the data key {key_id!r}, which MINIPORT_DATA_KEYS "
            "does not list (add it back after the current key, then run `miniport keys rotate`)"
        )
    try:
        return AESGCM(kek).decrypt(wrapped[:_NONCE], wrapped[_NONCE:], _WRAP_AAD + key_id.encode())
    except InvalidTag:
        raise Tampered("the sealed envelope was changed or its key is wrong") from None


def seal_personal(text: str) -> str:
    """An envelope of `text` under a fresh data key wrapped by the current key."""
    data_key = AESGCM.generate_key(bit_length=256)
    nonce = os.urandom(_NONCE)
    sealed = nonce + AESGCM(data_key).encrypt(nonce, str(text).encode(), _DATA_AAD)
    key_id, wrapped = _wrap(data_key)
    return f"{PREFIX}:{key_id}:{_b64(wrapped)}:{_b64(sealed)}"


def open_personal(envelope: str) -> str:
    """The clear text of an envelope; UnknownKey or Tampered when it cannot be opened."""
    key_id, wrapped, sealed = _parts(envelope)
    data_key = _unwrap(key_id, wrapped)
    try:
        clear = AESGCM(data_key).decrypt(sealed[:_NONCE], sealed[_NONCE:], _DATA_AAD)
    except InvalidTag:
        raise Tampered("the sealed envelope was changed") from None
    return clear.decode()


def key_id_of(envelope: str) -> str:
    return _parts(envelope)[0]


def rewrap(envelope: str) -> str:
    """The same value, its data key wrapped by the current key (the data is not
    re-encrypted). An envelope already under the current key comes back unchanged."""
    key_id, wrapped, sealed = _parts(envelope)
    if key_id == current_key_id():
        return envelope
    new_id, new_wrapped = _wrap(_unwrap(key_id, wrapped))
    return f"{PREFIX}:{new_id}:{_b64(new_wrapped)}:{_b64(sealed)}"


# --- model columns -------------------------------------------------------------------------


def _refuse_lookup(field: Any) -> FieldError:
    return FieldError(
        f"{field.name} is sealed and cannot be looked up by value; "
        "look it up by its keyed digest (core.ids.digest)"
    )


class _EmptyOnlyExact(Exact):
    """`field=""` still works (an empty value is stored empty); any other value is
    refused."""

    def __init__(self, lhs: Any, rhs: Any) -> None:
        if rhs != "":
            raise _refuse_lookup(lhs.target)
        super().__init__(lhs, rhs)


class _NoLookups:
    """Sealed columns cannot be compared with a value (every envelope differs): a lookup
    by value is refused at once rather than silently matching nothing. Only "is it
    empty" can be asked."""

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)  # type: ignore[misc]
        if lookup_name == "exact":
            return _EmptyOnlyExact
        raise _refuse_lookup(self)


class SealedTextField(_NoLookups, models.TextField):
    """A column holding an envelope; the model attribute holds the clear text ("" when
    empty: an empty value is stored empty, nothing to hide)."""

    sealed_column = True

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str:
        if not value:
            return ""
        return open_personal(value)

    def to_python(self, value: Any) -> str:
        return "" if value is None else str(value)

    def get_prep_value(self, value: Any) -> str:
        value = self.to_python(value)
        return seal_personal(value) if value else ""


class SealedJSONField(_NoLookups, models.TextField):
    """A JSON value kept sealed as a whole: the attribute holds the dict or list."""

    sealed_column = True

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if not value:
            return self.get_default()
        return json.loads(open_personal(value))

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            return json.loads(value) if value else self.get_default()
        return value

    def get_prep_value(self, value: Any) -> str:
        if value is None or value == "":  # `data=""` asks whether it is empty
            return ""
        return seal_personal(json.dumps(value, ensure_ascii=False, sort_keys=True))

    def value_to_string(self, obj: Any) -> str:
        return json.dumps(self.value_from_object(obj), ensure_ascii=False)


# Columns sealed by explicit calls instead of a sealed field ("app_label.Model", "field"),
# registered by the domains that own them, so that rotation finds them too.
_EXTRA_COLUMNS: set[tuple[str, str]] = set()


def register_sealed_column(model_label: str, field: str) -> None:
    _EXTRA_COLUMNS.add((model_label, field))


def sealed_columns() -> Iterator[tuple[type[models.Model], models.Field]]:
    """Every column of every installed model that holds envelopes."""
    from django.apps import apps

    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if getattr(field, "sealed_column", False) or (
                (model._meta.label, field.name) in _EXTRA_COLUMNS
            ):
                yield model, field


# --- migrations ----------------------------------------------------------------------------


def _rewrite_columns(schema_editor: Any, model: Any, columns: list[str], change: Any) -> int:
    """Rewrite `columns` of every row of `model` (a migration's historical model) with
    change(value), in plain SQL so that no sealed field tries to open a clear value."""
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    names = [quote(model._meta.get_field(name).column) for name in columns]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {pk}, {', '.join(names)} FROM {table}")  # noqa: S608
        rows = cursor.fetchall()
    changed = 0
    for key, *values in rows:
        fresh = [change(value) if value else "" for value in values]
        if fresh == [value or "" for value in values]:
            continue
        assignments = ", ".join(f"{name} = %s" for name in names)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {assignments} WHERE {pk} = %s",  # noqa: S608
                [*fresh, key],
            )
        changed += 1
    return changed


def seal_clear_columns(schema_editor: Any, model: Any, columns: list[str]) -> int:
    """Data migration step: seal the clear values of `columns` (already text columns)."""

    def seal(value: Any) -> str:
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        return text if is_envelope(text) else seal_personal(text)

    return _rewrite_columns(schema_editor, model, columns, seal)


def open_sealed_columns(schema_editor: Any, model: Any, columns: list[str]) -> int:
    """The reverse step: put the clear values back."""

    def unseal(value: Any) -> str:
        return open_personal(value) if is_envelope(value) else value

    return _rewrite_columns(schema_editor, model, columns, unseal)
