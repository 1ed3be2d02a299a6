"""The proof documents of an ordinary-mode application (PLG-10): images (re-encoded from
their pixels, kept like the merchants' documents) or PDF files (checked by their header
and trailer, refused when they carry scripts, launch actions or embedded files), stored as
`[{"key": "d1", "name": shown name, "file": storage name, "format": "PNG"|"PDF"...}]`.

The merchants' own document checker (`payments.merchants.documents`) takes a fixed
catalogue of named documents; a plugin's proofs are free in number and name, so the image
checks are called directly and PDF has its small checker here."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from miniport.core import clock, ids, policy
from miniport.core.errors import PlatformError
from miniport.miniprograms.services import images, media
from miniport.plugins.payment.errors import PluginPaymentError

FIELD = "documents"
PDF = "PDF"
_PDF_ROOT = "plugin-payment"
_PDF_NAME = re.compile(r"^plugin-payment/[A-Za-z0-9_-]{1,32}/[A-Za-z0-9_-]{16,64}\.pdf\Z")
# What a PDF may not carry: scripts, actions run on opening, launching, embedded files.
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|OpenAction|AA|EmbeddedFile|RichMedia|XFA)\b")


def _shown(upload, number: int) -> str:
    name = str(getattr(upload, "name", "") or f"document {number}")
    return re.sub(r"[\x00-\x1f\x7f]", "", name.rsplit("/", 1)[-1])[:80] or f"document {number}"


def _read(upload, shown: str, limit: int) -> bytes:
    if isinstance(upload, bytes | bytearray):
        data = bytes(upload)
    else:
        if hasattr(upload, "seek"):
            upload.seek(0)
        data = upload.read(limit + 1)
    if len(data) > limit:
        raise PlatformError(
            PluginPaymentError.DOCUMENT_INVALID, field=FIELD, document=shown, reason=f"> {limit} B"
        )
    if not data:
        raise PlatformError(
            PluginPaymentError.DOCUMENT_INVALID, field=FIELD, document=shown, reason="empty"
        )
    return data


def check_pdf(data: bytes, shown: str) -> bytes:
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
        raise PlatformError(
            PluginPaymentError.DOCUMENT_INVALID, field=FIELD, document=shown, reason="PDF"
        )
    if _PDF_ACTIVE.search(data):
        raise PlatformError(
            PluginPaymentError.DOCUMENT_INVALID,
            field=FIELD,
            document=shown,
            reason="PDF scripts/actions",
        )
    return data


def _clean(data: bytes, shown: str) -> tuple[bytes, str]:
    if data.startswith(b"%PDF-"):
        return check_pdf(data, shown), PDF
    try:
        inspected = images.inspect(
            data,
            formats=media.IMAGE_FORMATS,
            field=FIELD,
            max_side=policy.value("media.image_max_side_pixels"),
        )
        return images.reencode(inspected, field=FIELD), inspected.format
    except PlatformError as error:
        reason = str(error.params.get("reason") or "image")
        raise PlatformError(
            PluginPaymentError.DOCUMENT_INVALID, field=FIELD, document=shown, reason=reason
        ) from None


def store_documents(
    uploads: Iterable[object] | None,
    keeper: media.Keeper,
    *,
    required: bool = True,
    first_key: int = 1,
) -> list[dict]:
    """Check and keep the proof documents; all or nothing (the keeper removes what it kept
    when the action is refused; PDF copies are registered with it too)."""
    given = [upload for upload in (uploads or []) if upload not in (None, b"")]
    if required and not given:
        raise PlatformError(PluginPaymentError.DOCUMENTS_REQUIRED, field=FIELD)
    limit = policy.value("plugin.payment_max_documents")
    if len(given) > limit:
        raise PlatformError(PluginPaymentError.TOO_MANY_DOCUMENTS, field=FIELD, limit=limit)
    max_bytes = policy.value("plugin.payment_document_max_bytes")
    cleaned = []
    for number, upload in enumerate(given, start=first_key):
        shown = _shown(upload, number)
        cleaned.append((number, shown, *_clean(_read(upload, shown, max_bytes), shown)))
    kept = []
    for number, shown, data, fmt in cleaned:
        if fmt == PDF:
            name = default_storage.save(
                f"{_PDF_ROOT}/{keeper.miniprogram.appid}/{ids.new_token(24)}.pdf",
                ContentFile(data),
            )
            keeper.stored.append(name)
        else:
            stored = media.Media(media_id="", type=media.IMAGE, created_at=clock.now(), data=data)
            name = keeper.keep(stored, field=FIELD)
        kept.append({"key": f"d{number}", "name": shown, "file": name, "format": fmt})
    return kept


def document_file(documents: list[dict], key: str) -> tuple[bytes, str] | None:
    """The bytes and format (an image format or PDF) of one kept document, or None."""
    for item in documents or []:
        if not isinstance(item, dict) or item.get("key") != key:
            continue
        name = item.get("file")
        if isinstance(name, str) and _PDF_NAME.match(name):
            if not default_storage.exists(name):
                return None
            with default_storage.open(name, "rb") as handle:
                data = handle.read()
            return (data, PDF) if data.startswith(b"%PDF-") else None
        return media.kept_read(name)
    return None
