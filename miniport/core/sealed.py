"""Secrets the platform must use again later (a webhook's signing secret) kept encrypted
at rest, in the same envelopes and under the same data keys as personal data
(`core.vault`, settings.DATA_KEYS), never under the web secret.

Earlier releases sealed these with Fernet under a key derived from SECRET_KEY. Such
values still open: the derivation is tried with SECRET_KEY, its fallbacks and
DIGEST_KEY (an upgraded install sets DIGEST_KEY to its old SECRET_KEY), and
`miniport keys rotate` reseals every one of them as an envelope, after which the web
secret opens nothing.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import connection

from miniport.core import vault

_LEGACY_PURPOSE = b"miniport.core.sealed/1:"


class Unreadable(Exception):
    """The sealed text was not made with any of the configured keys, or was changed."""


def _legacy_fernet(secret_key: str) -> Fernet:
    digest = hashlib.sha256(_LEGACY_PURPOSE + secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _legacy_box() -> MultiFernet:
    candidates = [
        settings.SECRET_KEY,
        *getattr(settings, "SECRET_KEY_FALLBACKS", []),
        getattr(settings, "DIGEST_KEY", ""),
    ]
    return MultiFernet([_legacy_fernet(key) for key in dict.fromkeys(candidates) if key])


def _open_legacy(sealed: str) -> str:
    try:
        return _legacy_box().decrypt(sealed.encode("ascii")).decode()
    except (InvalidToken, UnicodeError, ValueError):
        raise Unreadable("the sealed text cannot be opened with the configured keys") from None


def seal(text: str) -> str:
    return vault.seal_personal(text)


def unseal(sealed: str) -> str:
    if vault.is_envelope(sealed):
        try:
            return vault.open_personal(sealed)
        except vault.VaultError as error:
            raise Unreadable(str(error)) from None
    return _open_legacy(sealed)


def reseal(sealed: str) -> str:
    """The value under the current data key: envelopes rewrapped, legacy values sealed
    again as envelopes."""
    if vault.is_envelope(sealed):
        return vault.rewrap(sealed)
    return seal(_open_legacy(sealed))


def _stored(batch: int) -> Iterator[tuple[str, str, str, str, Any, str]]:
    """(column name, quoted table, quoted pk, quoted column, key, value) of every
    non-empty value of every sealed column, read in batches by primary key."""
    quote = connection.ops.quote_name
    for model, field in vault.sealed_columns():
        table, column = quote(model._meta.db_table), quote(field.column)
        pk = quote(model._meta.pk.column)
        name = f"{model._meta.label}.{field.name}"
        last = None
        while True:
            after = "" if last is None else f" AND {pk} > %s"
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT {pk}, {column} FROM {table} "  # noqa: S608 - names from _meta
                    f"WHERE {column} <> ''{after} ORDER BY {pk} LIMIT {int(batch)}",
                    [] if last is None else [last],
                )
                rows = cursor.fetchall()
            if not rows:
                break
            last = rows[-1][0]
            for key, value in rows:
                yield name, table, pk, column, key, value


def rotate_all(batch: int = 500) -> dict[str, int]:
    """Rewrap every sealed value of every sealed column under the current data key (and
    reseal legacy values). Every value is opened first: when one cannot be (its key is
    no longer configured, or it was changed), Unreadable names its column and row and
    nothing is rewritten. Then each value is rewritten by a conditional UPDATE, so a row
    a writer changed meanwhile (sealed under the current key anyway) is left alone.
    Returns {"app_label.Model.field": rows rewritten}."""
    done: dict[str, int] = {name: 0 for name in _column_names()}
    for name, _table, _pk, _column, key, value in _stored(batch):
        try:
            unseal(value)
        except Unreadable as error:
            raise Unreadable(f"{name} of row {key}: {error}") from None
    for name, table, pk, column, key, value in _stored(batch):
        fresh = reseal(value)
        if fresh == value:
            continue
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {column} = %s "  # noqa: S608
                f"WHERE {pk} = %s AND {column} = %s",
                [fresh, key, value],
            )
            done[name] += cursor.rowcount
    return done


def _column_names() -> list[str]:
    return [f"{model._meta.label}.{field.name}" for model, field in vault.sealed_columns()]
