"""The catalog of common rejections (VER-5, B-4), kept as data in
`data/rejection_reasons.json`: each reason a stable key, a Chinese and an English title and
guidance telling the developer what to change.

Rejections are coded: a reviewer who picks a catalog reason stores its key among the review's
reasons (the review machine keeps reasons as text, so a key and free text sit side by side);
every surface shows a stored reason through `reason_text`, which renders a key in the reader's
language and leaves free text as written. The releases domain reads the keys back
(`reason_keys`): `test_account_needed` opens the test-account entry of the next submission
(VER-4).

`reason(key)` refuses an unknown key with `ReleaseError.REJECTION_REASON_UNKNOWN`, and so does
`resolve_reason(text)` for a text shaped like a key (lower-case words joined by underscores)
that is none, so a mistyped key is not stored as free text."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from miniport.core.errors import PlatformError

from .errors import ReleaseError

_DATA_FILE = Path(__file__).resolve().parent / "data" / "rejection_reasons.json"
TEST_ACCOUNT_NEEDED = "test_account_needed"
# What a key looks like: at least two lower-case words joined by underscores.
_KEY_SHAPE = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+")


@dataclass(frozen=True)
class RejectionReason:
    key: str
    title_zh: str
    title_en: str
    guidance_zh: str
    guidance_en: str

    def title(self, lang: str | None = None) -> str:
        return self.title_en if (lang or "").startswith("en") else self.title_zh

    def guidance(self, lang: str | None = None) -> str:
        return self.guidance_en if (lang or "").startswith("en") else self.guidance_zh

    def as_json(self) -> dict[str, str]:
        return {
            "key": self.key,
            "title_zh": self.title_zh,
            "title_en": self.title_en,
            "guidance_zh": self.guidance_zh,
            "guidance_en": self.guidance_en,
        }


@cache
def _load() -> dict[str, RejectionReason]:
    data = json.loads(_DATA_FILE.read_text(encoding="utf-8"))
    reasons: dict[str, RejectionReason] = {}
    for row in data["reasons"]:
        item = RejectionReason(
            key=row["key"],
            title_zh=row["title_zh"],
            title_en=row["title_en"],
            guidance_zh=row["guidance_zh"],
            guidance_en=row["guidance_en"],
        )
        if not _KEY_SHAPE.fullmatch(item.key):
            raise ValueError(f"rejection reason key {item.key!r} is not shaped like a key")
        if item.key in reasons:
            raise ValueError(f"rejection reason {item.key!r} is listed twice")
        reasons[item.key] = item
    return reasons


def rejection_reasons() -> tuple[RejectionReason, ...]:
    """Every reason of the catalog, in its published order."""
    return tuple(_load().values())


def is_reason_key(text: str) -> bool:
    return str(text) in _load()


def reason(key: str) -> RejectionReason:
    """The reason stored under `key`; an unknown key is refused."""
    found = _load().get(str(key))
    if found is None:
        raise PlatformError(ReleaseError.REJECTION_REASON_UNKNOWN, field="reason", key=key)
    return found


def resolve_reason(text: str) -> str:
    """What a reviewer's reason is stored as: a catalog key as itself, free text trimmed.
    A text shaped like a key that is not one is refused (a mistyped key)."""
    clean = " ".join(str(text).split())
    if _KEY_SHAPE.fullmatch(clean):
        return reason(clean).key
    return clean


def reason_text(stored: str, lang: str | None = None) -> str:
    """A stored reason for a reader: a key becomes its title, free text stays as written."""
    found = _load().get(str(stored))
    return found.title(lang) if found is not None else str(stored)


def reason_keys(reasons: Iterable[str]) -> list[str]:
    """The catalog keys among a review's stored reasons, in order."""
    return [str(item) for item in reasons if is_reason_key(item)]
