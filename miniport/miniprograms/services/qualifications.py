"""Qualification documents of sensitive service categories (INF-6): which documents a
category asks for, checking and keeping the uploaded ones, reading them for reviewers.

A sensitive category needs one document per qualification its catalog entry names
(`qualify.exter_list[].inner_list[].name`), keyed by that name. The documents are
uploaded as temporary media; when the category is added (or its certificates are
replaced) they are copied into permanent storage, so reviewers can open them for as
long as the category exists.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from miniport.core.errors import PlatformError
from miniport.miniprograms import catalog
from miniport.miniprograms.errors import MiniProgramError
from miniport.miniprograms.models import CategoryStatus, MiniProgram, MiniProgramCategory
from miniport.miniprograms.services import images, media

# Category ids on the wire: JSON integers, or strings of ASCII digits (wechat-api 16.11).
_DIGITS = re.compile(r"[0-9]{1,10}")
# The id columns are 32-bit integers; a larger number names no category.
_ID_MAX = 2**31 - 1
# The certificate key used when a sensitive category names no qualification.
GENERIC_QUALIFICATION = "qualification"


def as_int(value, *, field_name: str) -> int:
    """A whole number: an int, or a string of ASCII digits. Floats (1.9, 1e3, inf),
    booleans, other digit systems ("²", "١") and out-of-range numbers are 53303."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        raise PlatformError(MiniProgramError.CATEGORY_INVALID, field=field_name)
    if not 0 <= number <= _ID_MAX:
        raise PlatformError(MiniProgramError.CATEGORY_INVALID, field=field_name)
    return number


def required_qualifications(pair: catalog.Pair | None) -> tuple[str, ...]:
    """The documents a category asks for, one each; none for a non-sensitive one."""
    if pair is None or not pair.sensitive:
        return ()
    return pair.second.qualifications or (GENERIC_QUALIFICATION,)


def resolve_pair(miniprogram: MiniProgram, first, second) -> catalog.Pair:
    """The catalog pair, or 53302 when it belongs to another kind of subject, or 53303."""
    first_id = as_int(first, field_name="category")
    second_id = as_int(second, field_name="category")
    pair = catalog.catalog_for(miniprogram.subject).pair(first_id, second_id)
    if pair is None:
        if catalog.in_any_catalog(first_id, second_id):
            raise PlatformError(MiniProgramError.CATEGORY_NOT_ALLOWED, field="category")
        raise PlatformError(MiniProgramError.CATEGORY_INVALID, field="category")
    return pair


def _certificate_items(certificates: Iterable | None) -> list[tuple[str, object]]:
    """The (key, value) pairs of `[{"key", "value"}]`, or 53303 for any other shape."""
    if certificates is None:
        return []
    if not isinstance(certificates, list | tuple):
        raise PlatformError(MiniProgramError.CATEGORY_INVALID, field="certificates")
    items = []
    for item in certificates:
        if not isinstance(item, dict):
            raise PlatformError(MiniProgramError.CATEGORY_INVALID, field="certificates")
        key, value = item.get("key"), item.get("value")
        if not isinstance(key, str) or not key.strip() or value in (None, ""):
            raise PlatformError(MiniProgramError.CATEGORY_INVALID, field="certificates")
        items.append((key.strip(), value))
    return items


def clean_certificates(
    miniprogram: MiniProgram,
    pair: catalog.Pair | None,
    certificates: Iterable | None,
    keeper: media.Keeper,
) -> list[dict]:
    """One uploaded document per qualification the category names, keyed by that name,
    each copied into permanent storage. A non-sensitive category keeps none."""
    items = _certificate_items(certificates)
    required = required_qualifications(pair)
    if not required:
        return []
    named = set(required) if pair is not None and pair.second.qualifications else None
    by_key: dict[str, object] = {}
    for key, value in items:
        if named is not None and key not in named:
            raise PlatformError(
                MiniProgramError.CATEGORY_QUALIFICATION_UNKNOWN,
                field="certificates",
                qualification=key,
            )
        if key in by_key:
            raise PlatformError(MiniProgramError.CATEGORY_INVALID, field="certificates")
        by_key[key] = value
    if not by_key:
        raise PlatformError(
            MiniProgramError.CATEGORY_MATERIAL_REQUIRED,
            field="certificates",
            qualification=required[0],
        )
    if named is not None:
        for name in required:
            if name not in by_key:
                raise PlatformError(
                    MiniProgramError.CATEGORY_QUALIFICATION_MISSING,
                    field="certificates",
                    qualification=name,
                )
    order = {name: n for n, name in enumerate(required)}
    clean = []
    for key in sorted(by_key, key=lambda k: order.get(k, len(order))):
        # wechat-api 8.2 names no upload for certicates' media_ids: an image of either
        # kind is taken (a video is not a document: 40007).
        stored = media.media_get(
            miniprogram, by_key[key], field="certificates", origins=media.ORIGINS
        )
        clean.append(
            {
                "key": key,
                "value": stored.media_id,
                "file": keeper.keep(stored, field="certificates"),
            }
        )
    return clean


def kept_files(certificates) -> list[str]:
    files = (item.get("file") for item in certificates or [] if isinstance(item, dict))
    return [name for name in files if isinstance(name, str)]


def certificate_image(category: MiniProgramCategory, index: int) -> tuple[bytes, str] | None:
    """The bytes and image format of a category's certificate for reviewers, or None.
    Reads the permanent copy; rows from before copies were kept fall back to the
    temporary media while it lasts."""
    certificates = category.certificates or []
    if not 0 <= index < len(certificates) or not isinstance(certificates[index], dict):
        return None
    item = certificates[index]
    if item.get("file"):
        return media.kept_read(item["file"])
    try:
        stored = media.media_get(category.miniprogram, item.get("value"), origins=media.ORIGINS)
    except PlatformError:
        return None
    fmt = images.sniff(stored.data)
    return (stored.data, fmt) if fmt else None


def category_pair(miniprogram: MiniProgram, row: MiniProgramCategory) -> catalog.Pair:
    """The catalog pair of a category that is set. One under review or rejected is
    sensitive even if the catalog changed since; gone from it, it asks for one document."""
    pair = catalog.catalog_for(miniprogram.subject).pair(row.first_id, row.second_id)
    if pair is not None and (pair.sensitive or row.status == CategoryStatus.APPROVED):
        return pair
    return _sensitive_stand_in(row)


def _sensitive_stand_in(row: MiniProgramCategory) -> catalog.Pair:
    """A category no longer in the catalog: sensitive, asking for one document."""

    def node(id_: int, name: str, level: int) -> catalog.Category:
        return catalog.Category(
            id=id_,
            name=name,
            level=level,
            father=0,
            children=(),
            sensitive=True,
            qualifications=(),
            remark="",
            raw={},
        )

    return catalog.Pair(
        node(row.first_id, row.first_name, 1), node(row.second_id, row.second_name, 2)
    )
