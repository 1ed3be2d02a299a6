"""The documents of a merchant application (PAY-1): which ones it carries, checking and
keeping the uploaded images, reading them for reviewers.

Each document is an image checked by content, re-encoded from its pixels (no EXIF or
comments kept) and copied into permanent storage like a category's qualification
documents (`miniprograms.services.qualifications`), so reviewers can open it for as long
as the application exists. Stored as `[{"key", "name", "file"}]`.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from miniport.core import clock, policy
from miniport.core.errors import PlatformError
from miniport.miniprograms.services import images, media
from miniport.payments.merchants.errors import MerchantError

FIELD = "documents"
# (key, label, required)
DOCUMENTS: tuple[tuple[str, Promise, bool], ...] = (
    ("licence", _("Business licence or organisation certificate"), True),
    ("id_card", _("ID card of the legal representative"), True),
    ("account_proof", _("Proof of the settlement account"), False),
)
LABELS: dict[str, Promise] = {key: label for key, label, _required in DOCUMENTS}
REQUIRED: tuple[str, ...] = tuple(key for key, _label, required in DOCUMENTS if required)


def label_of(key: str) -> str:
    return str(LABELS.get(key, key))


def _clean_image(upload, key: str) -> bytes:
    data = images.read_capped(upload, policy.value("media.image_max_bytes"), field=FIELD)
    inspected = images.inspect(
        data,
        formats=media.IMAGE_FORMATS,
        field=FIELD,
        max_side=policy.value("media.image_max_side_pixels"),
    )
    return images.reencode(inspected, field=FIELD)


def store_documents(
    uploads: Mapping[str, object] | None,
    keeper: media.Keeper,
    *,
    required: tuple[str, ...] = REQUIRED,
) -> list[dict]:
    """Check and keep one image per named document. A key no document has is refused
    (DOCUMENT_UNKNOWN), a required one missing too (DOCUMENT_MISSING); an image that is
    not one (or too large) is refused by the image checks, naming the document."""
    given = {key: upload for key, upload in (uploads or {}).items() if upload not in (None, b"")}
    for key in given:
        if key not in LABELS:
            raise PlatformError(MerchantError.DOCUMENT_UNKNOWN, field=FIELD, document=key[:40])
    for key in required:
        if key not in given:
            raise PlatformError(MerchantError.DOCUMENT_MISSING, field=FIELD, document=LABELS[key])
    kept = []
    for key, _label, _required in DOCUMENTS:  # in the catalogue's order
        if key not in given:
            continue
        try:
            clean = _clean_image(given[key], key)
        except PlatformError as error:
            raise PlatformError(
                error.code, field=FIELD, **{**error.params, "document": LABELS[key]}
            ) from None
        stored = media.Media(media_id="", type=media.IMAGE, created_at=clock.now(), data=clean)
        kept.append({"key": key, "name": key, "file": keeper.keep(stored, field=FIELD)})
    return kept


def merged(current: list[dict], added: list[dict]) -> list[dict]:
    """The documents after a supplement: the added ones replace those of the same key."""
    replaced = {item["key"] for item in added}
    rest = [item for item in current or [] if item.get("key") not in replaced]
    order = {key: n for n, (key, _label, _required) in enumerate(DOCUMENTS)}
    return sorted([*rest, *added], key=lambda item: order.get(str(item.get("key")), len(order)))


def document_image(documents: list[dict], key: str) -> tuple[bytes, str] | None:
    """The bytes and image format of one kept document, or None."""
    for item in documents or []:
        if isinstance(item, dict) and item.get("key") == key:
            return media.kept_read(item.get("file"))
    return None


def replaced_files(current: list[dict], added: list[dict]) -> list[str]:
    """The stored files a supplement replaces (removed once it is saved)."""
    keys = {item["key"] for item in added}
    return [
        item["file"]
        for item in current or []
        if item.get("key") in keys and isinstance(item.get("file"), str)
    ]
