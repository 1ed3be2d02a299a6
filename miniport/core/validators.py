"""Format checks shared by several domains. Each raises a coded PlatformError."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from miniport.core.errors import CoreError, PlatformError, Words

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_PATTERN = re.compile(r"^[1-9][0-9]{16}[0-9X]\Z")
_PHONE_PATTERN = re.compile(r"^1[3-9][0-9]{9}\Z")
_WECHAT_ID_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{5,19}\Z")


def id_number_check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def parse_id_number(raw: str, *, field: str = "id_number") -> tuple[str, date]:
    """Validate an 18-digit mainland ID number (GB 11643 checksum); return it and the birth date."""
    value = (raw or "").strip().upper()
    if not _ID_PATTERN.match(value) or id_number_check_char(value[:17]) != value[17]:
        raise PlatformError(CoreError.ID_NUMBER_INVALID, field=field)
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise PlatformError(CoreError.ID_NUMBER_INVALID, field=field)
    if born.year < 1900:
        raise PlatformError(CoreError.ID_NUMBER_INVALID, field=field)
    return value, born


def normalize_phone(raw: str, *, field: str = "phone") -> str:
    value = re.sub(r"[\s-]", "", raw or "")
    if value.startswith("+86"):
        value = value[3:]
    if not _PHONE_PATTERN.match(value):
        raise PlatformError(CoreError.PHONE_INVALID, field=field)
    return value


def check_wechat_id(raw: str, *, field: str = "wechat_id") -> str:
    value = (raw or "").strip()
    if not _WECHAT_ID_PATTERN.match(value):
        raise PlatformError(
            CoreError.FIELD_INVALID,
            field=field,
            reason=Words(
                "6 至 20 位字母、数字、下划线或减号，以字母开头",
                "6-20 letters, digits, _ or -, starting with a letter",
            ),
        )
    return value


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def make_id_number(born: date, region: str = "110101", sequence: int = 123) -> str:
    """A checksum-valid ID number (demo data and tests)."""
    first17 = f"{region}{born:%Y%m%d}{sequence:03d}"
    return first17 + id_number_check_char(first17)


# More digits than any wire number needs; int() of thousands of digits is refused by Python.
_MOST_DIGITS = 18


def whole_number(value: Any) -> int | None:
    """A whole number as a JSON body sends it: a number, a float with no fraction, or a
    string of ASCII digits; None for anything else (a bool, a fraction, a sign, a string of
    more than 18 digits)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if text.isascii() and text.isdigit() and len(text) <= _MOST_DIGITS:
            return int(text)
    return None
