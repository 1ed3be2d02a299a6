"""Development versions (VER-1): a developer's upload of a code package.

`version_upload` refuses, in this order, and each refusal leaves no row and no file:
- a missing version number (CoreError.FIELD_REQUIRED), one longer than
  `version.max_user_version_chars` or a note longer than `version.max_user_desc_chars`
  (CoreError.FIELD_INVALID), an unknown source (CoreError.FIELD_INVALID);
- a version number that is not printable text (ReleaseError.USER_VERSION_INVALID): a
  control, format, surrogate, private-use or unassigned character (Unicode category C*,
  tab and line breaks included: a version number is one line; surrounding blanks are
  trimmed and inner runs of spaces become one), or `<` / `>` (a version number is not
  markup); a note holding such a character other than a tab, a line break or the zero-width
  joiners emoji and some scripts need (ReleaseError.USER_DESC_INVALID). NUL above all:
  PostgreSQL cannot store it in text, so the refusal comes before any insert;
- any package refusal of `validate_package` (`ReleaseError.PACKAGE_*`, `ENTRY_*`,
  `APP_JSON_*`, ...), before anything is stored.

The bytes are stored once per sha256 (`packages.storage`): a second upload of the same
bytes makes a new version on the same `CodePackage`. If the transaction fails after a
new file was stored, the file is removed again.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any
from urllib.parse import unquote_to_bytes

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_noop

from miniport.core import audit, clock, events, policy
from miniport.core.actors import Actor
from miniport.core.errors import CoreError, PlatformError, Translatable, Words
from miniport.identities.models import Identity
from miniport.miniprograms.models import MiniProgram
from miniport.releases.errors import ReleaseError
from miniport.releases.models import CodePackage, DevVersion, VersionSource
from miniport.releases.packages import storage, validate_package, zip_folder
from miniport.releases.packages.manifest import PackageManifest

from .common import label_of

# What a version number may not hold besides Unicode's C* categories: markup.
_VERSION_MARKUP = frozenset("<>")
# What a version note may hold of the C* categories: tab, line breaks, and the zero-width
# (non-)joiners of emoji sequences and of scripts such as Persian.
_NOTE_ALLOWED = frozenset("\t\n\r\u200c\u200d")
# A percent sign not followed by two hexadecimal digits.
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _shown(char: str) -> str:
    """A character named so that a message can carry it: its code point, and the
    character itself only when it is visible."""
    point = f"U+{ord(char):04X}"
    return f"'{char}' ({point})" if char in _VERSION_MARKUP else point


def _unprintable(text: str, allowed: frozenset[str] = frozenset()) -> tuple[int, str] | None:
    """The first character of `text` (position from 1, the character) of a C* category
    (control, format, surrogate, private use, unassigned) that `allowed` does not hold."""
    for position, char in enumerate(text, start=1):
        if char not in allowed and unicodedata.category(char).startswith("C"):
            return position, char
    return None


def _printable_version(text: str) -> str:
    """The version number, trimmed, its inner blanks made single spaces; refused when it
    holds a character that is not printable or is markup."""
    text = text.strip(" \t\r\n")
    found = _unprintable(text)
    if found is None:
        found = next(
            ((n, char) for n, char in enumerate(text, start=1) if char in _VERSION_MARKUP), None
        )
    if found is not None:
        position, char = found
        raise PlatformError(
            ReleaseError.USER_VERSION_INVALID,
            field="user_version",
            reason=Words(
                f"第 {position} 个字符 {_shown(char)} 不允许出现在版本号中"
                "（版本号只能是一行可打印的文字，不含控制字符和 < >）",
                f"character {position} is {_shown(char)}, which a version number may not "
                "hold (one line of printable text, without control characters, < or >)",
            ),
        )
    return " ".join(text.split())


def _printable_note(text: str) -> str:
    found = _unprintable(text, _NOTE_ALLOWED)
    if found is not None:
        position, char = found
        raise PlatformError(
            ReleaseError.USER_DESC_INVALID,
            field="user_desc",
            reason=Words(
                f"第 {position} 个字符 {_shown(char)} 是控制字符或不可打印字符"
                "（可以换行和使用制表符）",
                f"character {position} is {_shown(char)}, a control or unprintable "
                "character (line breaks and tabs are fine)",
            ),
        )
    return text


def _text(value: Any, field: str, rule: str, *, required: bool) -> str:
    raw = str(value or "")
    text = _printable_version(raw) if field == "user_version" else _printable_note(raw).strip()
    if required and not text:
        raise PlatformError(CoreError.FIELD_REQUIRED, field=field)
    limit = policy.value(rule)
    if len(text) > limit:
        raise PlatformError(
            CoreError.FIELD_INVALID,
            field=field,
            reason=Translatable(gettext_noop("at most %(max)s characters"), max=limit),
        )
    return text


def checked_fields(user_version: str, user_desc: str, source: str) -> tuple[str, str]:
    """The version number and note of an upload, cleaned, after the source is checked;
    the refusals of the module docstring's first two points."""
    version_text = _text(
        user_version, "user_version", "version.max_user_version_chars", required=True
    )
    desc_text = _text(user_desc, "user_desc", "version.max_user_desc_chars", required=False)
    if source not in VersionSource.values:
        raise PlatformError(CoreError.FIELD_INVALID, field="source", reason=str(source)[:40])
    return version_text, desc_text


def header_text(header: str, value: str, *, field: str) -> str:
    """A request header's value sent as percent-encoded UTF-8 (headers are Latin-1), such
    as the signed upload's `X-Miniport-Version` and `X-Miniport-Desc`, decoded; refused
    (ReleaseError.UPLOAD_HEADER_INVALID, naming the header) when a character is not
    ASCII, a `%` is not followed by two hexadecimal digits or the bytes are not UTF-8,
    rather than kept as sent."""
    reason: Words | None = None
    bad_percent = _BAD_PERCENT.search(value)
    if not value.isascii():
        reason = Words(
            "含有未经百分号编码的非 ASCII 字符", "it holds a character that is not percent-encoded"
        )
    elif bad_percent is not None:
        position = bad_percent.start() + 1
        reason = Words(
            f"第 {position} 个字符处的 % 后面不是两位十六进制数字",
            f"the '%' at character {position} is not followed by two hexadecimal digits",
        )
    else:
        try:
            return unquote_to_bytes(value).decode("utf-8")
        except UnicodeDecodeError as error:
            reason = Words(
                f"解码后的第 {error.start + 1} 个字节不是 UTF-8 编码",
                f"the decoded bytes are not UTF-8 at byte {error.start + 1}",
            )
    raise PlatformError(
        ReleaseError.UPLOAD_HEADER_INVALID, field=field, header=header, reason=reason
    )


def _seekable(archive: Any) -> tuple[IO[bytes], bool]:
    """The archive as a seekable binary file, and whether we opened it (and close it)."""
    if isinstance(archive, str | os.PathLike):
        if os.path.isdir(archive):
            return zip_folder(archive), True
        return open(archive, "rb"), True  # noqa: SIM115 - closed by the caller
    if getattr(archive, "seekable", lambda: False)():
        archive.seek(0)
        return archive, False
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    shutil.copyfileobj(archive, spool, 1024 * 1024)
    spool.seek(0)
    return spool, True  # type: ignore[return-value]


@contextmanager
def validated_archive(
    archive: Any, *, kind: str = "app"
) -> Iterator[tuple[IO[bytes], PackageManifest]]:
    """The archive (a path, a folder or a file object) as a seekable file and its manifest
    once `validate_package` accepts it; a file opened here is closed after the block."""
    fileobj, opened = _seekable(archive)
    try:
        yield fileobj, validate_package(fileobj, kind=kind)
    finally:
        if opened:
            fileobj.close()


def developer_of(actor: Actor, developer: Identity | None) -> Identity | None:
    """The identity an upload is credited to: the one given, else the acting identity."""
    if developer is not None:
        return developer
    if actor.kind == "identity" and actor.id.isdigit():
        return Identity.objects.filter(pk=int(actor.id)).first()
    return None


@contextmanager
def stored_package(fileobj: IO[bytes], manifest: PackageManifest) -> Iterator[CodePackage]:
    """The `CodePackage` of these bytes, stored once per sha256, inside a transaction the
    block runs in (it records what uses the package). A file this call stored is removed
    again when the block fails and no row points at it; a concurrent upload of the same
    bytes shares its row."""
    stored_new = ""
    try:
        with transaction.atomic():
            package = CodePackage.objects.filter(sha256=manifest.sha256).first()
            if package is None:
                name = storage.storage_name(manifest.sha256)
                existed = storage.exists(name)
                storage.store(manifest.sha256, fileobj)
                stored_new = "" if existed else name
                try:
                    with transaction.atomic():
                        package = CodePackage.objects.create(
                            sha256=manifest.sha256,
                            size=manifest.archive_size,
                            storage_name=name,
                            manifest=json.loads(json.dumps(manifest.as_dict())),
                            created_at=clock.now(),
                        )
                except IntegrityError:
                    # The same bytes were recorded by a concurrent upload: share its row.
                    stored_new = ""
                    package = CodePackage.objects.get(sha256=manifest.sha256)
            yield package
    except BaseException:
        if stored_new and not CodePackage.objects.filter(storage_name=stored_new).exists():
            storage.delete(stored_new)
        raise


def version_upload(
    *,
    actor: Actor,
    miniprogram: MiniProgram,
    archive: Any,
    user_version: str,
    user_desc: str,
    developer: Identity | None = None,
    source: str = VersionSource.CONSOLE,
    template_id: int | None = None,
) -> DevVersion:
    """Validate the package, store it once by sha256 and record a development version."""
    version_text, desc_text = checked_fields(user_version, user_desc, source)
    with validated_archive(archive) as (fileobj, manifest):
        return _record(
            actor,
            miniprogram,
            fileobj,
            manifest,
            version_text,
            desc_text,
            developer_of(actor, developer),
            source,
            template_id,
        )


def _record(
    actor: Actor,
    miniprogram: MiniProgram,
    fileobj: IO[bytes],
    manifest: PackageManifest,
    user_version: str,
    user_desc: str,
    developer: Identity | None,
    source: str,
    template_id: int | None,
) -> DevVersion:
    with stored_package(fileobj, manifest) as package:
        version = DevVersion.objects.create(
            miniprogram=miniprogram,
            developer_identity=developer,
            developer_label=(developer.wechat_id if developer else label_of(actor))[:200],
            user_version=user_version,
            user_desc=user_desc,
            package=package,
            source=source,
            template_id=template_id,
            uploaded_at=clock.now(),
        )
        after = {
            "version": version.pk,
            "user_version": user_version,
            "user_desc": user_desc,
            "sha256": package.sha256,
            "size": package.size,
            "source": source,
            "developer": version.developer_label,
        }
        audit.record(actor, "code.upload", target=version, appid=miniprogram.appid, after=after)
        events.emit("code.uploaded", {"appid": miniprogram.appid, **after}, appid=miniprogram.appid)
    return version
