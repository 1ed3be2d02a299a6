"""The documents of a certification application (CER-2): which ones each subject type
needs (`REQUIRED`, data), checking an upload by its content, keeping it, reading it back
for the reviewer.

Images (PNG, JPEG) are checked like every other upload (`miniprograms.services.images`)
and re-encoded from their pixels, so nothing but the picture is kept; a PDF is kept as
sent once its structure looks like a PDF and it names no script, launch action or
embedded file. Stored names are random (`certification/<appid>/<random>.<ext>`), never
the uploader's, and only names of that shape are read back.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Registers "PDF" → application/pdf in Pillow's MIME table, by which the review desk
# types the documents it serves.
from PIL import PdfImagePlugin  # noqa: F401

from miniport.accounts.models import SubjectType
from miniport.core import clock, ids, policy
from miniport.core.errors import PlatformError
from miniport.miniprograms.services import images
from miniport.payments.certification.errors import CertificationError

BUSINESS_LICENCE = "business_licence"
ORGANISATION_CERTIFICATE = "organisation_certificate"
OFFICIAL_LETTER = "official_letter"
OTHER = "other_material"

LABELS: dict[str, str | Promise] = {
    BUSINESS_LICENCE: _("Business licence"),
    ORGANISATION_CERTIFICATE: _("Organisation certificate"),
    OFFICIAL_LETTER: _("Official letter"),
    OTHER: _("Other material"),
}
# What each subject type must send (CER-1: enterprises may certify, government, media and
# other organisations must; personal subjects cannot, so they have no entry).
REQUIRED: dict[str, tuple[str, ...]] = {
    SubjectType.ENTERPRISE: (BUSINESS_LICENCE,),
    SubjectType.INDIVIDUAL_BUSINESS: (BUSINESS_LICENCE,),
    SubjectType.GOVERNMENT: (ORGANISATION_CERTIFICATE, OFFICIAL_LETTER),
    SubjectType.MEDIA: (ORGANISATION_CERTIFICATE, OFFICIAL_LETTER),
    SubjectType.OTHER: (ORGANISATION_CERTIFICATE, OFFICIAL_LETTER),
}
# What any subject type may add.
OPTIONAL: tuple[str, ...] = (OTHER,)

PDF = "PDF"
IMAGE_FORMATS = frozenset({images.PNG, images.JPEG})
_EXTENSIONS = {images.PNG: "png", images.JPEG: "jpg", PDF: "pdf"}
_ROOT = "certification"
_STORED_NAME = re.compile(
    r"^certification/[A-Za-z0-9_-]{1,32}/[A-Za-z0-9_-]{16,64}\.(png|jpg|pdf)\Z"
)
# A PDF that could act when opened is refused; one that merely shows pages is kept.
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFiles?|XFA|RichMedia|SubmitForm)\b")
_PDF_HEADER = re.compile(rb"^%PDF-[12]\.[0-9]")


def label(key: str) -> str:
    return str(LABELS.get(key, key))


def required_for(subject_type: str) -> tuple[str, ...]:
    return REQUIRED.get(subject_type, ())


def allowed_for(subject_type: str) -> tuple[str, ...]:
    return (*required_for(subject_type), *OPTIONAL) if subject_type in REQUIRED else ()


def _invalid(key: str, reason: str) -> PlatformError:
    return PlatformError(
        CertificationError.DOCUMENT_INVALID, field=key, document=label(key), reason=reason
    )


def _read(upload, key: str) -> bytes:
    if not isinstance(upload, bytes | bytearray) and not callable(getattr(upload, "read", None)):
        raise _invalid(key, gettext("not a supported file"))
    try:
        return images.read_capped(
            upload, policy.value("certification.document_max_bytes"), field=key
        )
    except PlatformError as error:
        if "reason" in error.params:
            raise _invalid(key, str(error.params["reason"])) from None
        raise PlatformError(
            CertificationError.DOCUMENT_REQUIRED, field=key, document=label(key)
        ) from None


def _check_pdf(data: bytes, key: str) -> bytes:
    if not data.rstrip().endswith(b"%%EOF") and b"%%EOF" not in data[-2048:]:
        raise _invalid(key, gettext("the PDF is damaged"))
    if _PDF_ACTIVE.search(data):
        raise _invalid(key, gettext("the PDF contains scripts, actions or embedded files"))
    return data


def check(upload, key: str) -> tuple[bytes, str]:
    """The bytes to keep and their format (PNG, JPEG or PDF), or DOCUMENT_INVALID."""
    data = _read(upload, key)
    if _PDF_HEADER.match(data):
        return _check_pdf(data, key), PDF
    try:
        inspected = images.inspect(
            data,
            formats=IMAGE_FORMATS,
            field=key,
            max_side=policy.value("media.image_max_side_pixels"),
        )
        return images.reencode(inspected, field=key), inspected.format
    except PlatformError as error:
        reason = str(error.params.get("reason") or gettext("not a supported file"))
        if reason == gettext("not a supported image"):
            reason = gettext("only PNG or JPEG images and PDF files are accepted")
        raise _invalid(key, reason) from None


def _upload_name(upload) -> str:
    name = str(getattr(upload, "name", "") or "")
    return name.replace("\\", "/").rsplit("/", 1)[-1][:100]


@dataclass
class Store:
    """Checked documents written for one action, all or nothing: used as a context
    manager around the action's transaction, it removes what it wrote when the action
    is refused."""

    appid: str
    written: list[str]

    def __init__(self, appid: str) -> None:
        self.appid = appid
        self.written = []

    def keep(self, key: str, upload) -> dict:
        data, fmt = check(upload, key)
        name = default_storage.save(
            f"{_ROOT}/{self.appid}/{ids.new_token(24)}.{_EXTENSIONS[fmt]}", ContentFile(data)
        )
        self.written.append(name)
        return {
            "key": key,
            "name": _upload_name(upload),
            "file": name,
            "format": fmt,
            "bytes": len(data),
            "added_at": clock.now().isoformat(),
        }

    def __enter__(self) -> Store:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is not None:
            forget(self.written)
            self.written = []


def clean_uploads(
    subject_type: str, documents: Mapping[str, object] | None, *, require_all: bool
) -> dict[str, object]:
    """The uploads by document key, refused before anything is written: an unknown key,
    a missing required document (when `require_all`), nothing at all."""
    if documents is not None and not isinstance(documents, Mapping):
        raise PlatformError(CertificationError.DOCUMENT_UNKNOWN, field="documents", document="?")
    given = {str(k): v for k, v in (documents or {}).items() if v not in (None, b"", "")}
    allowed = allowed_for(subject_type)
    for key in given:
        if key not in allowed:
            raise PlatformError(
                CertificationError.DOCUMENT_UNKNOWN, field="documents", document=key[:40]
            )
    if require_all:
        for key in required_for(subject_type):
            if key not in given:
                raise PlatformError(
                    CertificationError.DOCUMENT_REQUIRED, field=key, document=label(key)
                )
    if not given:
        first = (required_for(subject_type) or OPTIONAL)[0]
        raise PlatformError(
            CertificationError.DOCUMENT_REQUIRED, field=first, document=label(first)
        )
    order = {key: n for n, key in enumerate(allowed)}
    return {key: given[key] for key in sorted(given, key=order.__getitem__)}


def read(entry: object) -> tuple[bytes, str] | None:
    """A kept document's bytes and format (PNG, JPEG or PDF), or None."""
    name = entry.get("file") if isinstance(entry, dict) else None
    if not isinstance(name, str) or not _STORED_NAME.match(name):
        return None
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as handle:
        data = handle.read()
    if _PDF_HEADER.match(data):
        return data, PDF
    fmt = images.sniff(data)
    return (data, fmt) if fmt in IMAGE_FORMATS else None


def forget(names) -> None:
    for name in names:
        if isinstance(name, str) and _STORED_NAME.match(name):
            default_storage.delete(name)
