"""submit_audit's `ugc_declare` (wechat-api 4.5): what user-generated content the mini
program has and how it is checked.

- `scene`: a list of 0 (none) or of 1 user profiles, 2 images, 3 videos, 4 text, 5 audio
  or other content; 0 stands alone (no content is no other scene). Required when
  `ugc_declare` is sent.
- `method`: a list of 1 the platform's content-security API, 2 another vendor's
  product, 3 human review, 4 none; 4 stands alone.
- `has_audit_team`: 0 or 1 (0 when absent).
- `other_scene_desc`, `audit_desc`: text of at most DESCRIPTION_MAX characters.

Numbers may come as JSON numbers or as their strings, as WeChat accepts; a list may not
name a value twice. Anything else is `ReleaseError.UGC_DECLARE_INVALID` (40097 on the
wire) naming the field, e.g. `ugc_declare.scene`.
"""

from __future__ import annotations

from typing import Any

from miniport.core.errors import PlatformError, Words
from miniport.core.validators import whole_number
from miniport.releases.errors import ReleaseError

SCENES = (0, 1, 2, 3, 4, 5)
SCENE_NONE = 0
METHODS = (1, 2, 3, 4)
METHOD_NONE = 4
DESCRIPTION_MAX = 256


def _refuse(field: str, zh: str, en: str) -> PlatformError:
    return PlatformError(
        ReleaseError.UGC_DECLARE_INVALID, field=f"ugc_declare.{field}", reason=Words(zh, en)
    )


def _choices(value: Any, field: str, allowed: tuple[int, ...], alone: int) -> list[int]:
    shown = "、".join(str(n) for n in allowed)
    shown_en = ", ".join(str(n) for n in allowed)
    if not isinstance(value, list) or not value:
        raise _refuse(
            field,
            f"应为由 {shown} 组成的非空数组",
            f"must be a non-empty array of {shown_en}",
        )
    numbers = [whole_number(item) for item in value]
    if any(number not in allowed for number in numbers):
        raise _refuse(field, f"只能取 {shown}", f"takes only {shown_en}")
    clean = [int(number) for number in numbers if number is not None]
    if len(set(clean)) != len(clean):
        raise _refuse(field, "不能重复", "names a value twice")
    if alone in clean and len(clean) > 1:
        raise _refuse(
            field,
            f"{alone} 不能与其他值同时选择",
            f"{alone} cannot be combined with other values",
        )
    return clean


def _text(value: Any, field: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _refuse(field, "应为字符串", "must be a string")
    text = value.strip()
    if len(text) > DESCRIPTION_MAX:
        raise _refuse(
            field,
            f"最多 {DESCRIPTION_MAX} 个字符",
            f"at most {DESCRIPTION_MAX} characters",
        )
    return text


def ugc_declare_clean(value: dict[str, Any] | None) -> dict[str, Any] | None:
    """The declaration as checked (None when not sent), or the refusal naming its field."""
    if value is None:
        return None
    if "scene" not in value or value["scene"] is None:
        raise _refuse("scene", "必填", "is required")
    clean: dict[str, Any] = {"scene": _choices(value["scene"], "scene", SCENES, SCENE_NONE)}
    if value.get("method") is not None:
        clean["method"] = _choices(value["method"], "method", METHODS, METHOD_NONE)
    team = value.get("has_audit_team")
    if team is None or team == "":
        clean["has_audit_team"] = 0
    else:
        number = whole_number(team)
        if number not in (0, 1):
            raise _refuse("has_audit_team", "只能取 0 或 1", "must be 0 or 1")
        clean["has_audit_team"] = number
    clean["other_scene_desc"] = _text(value.get("other_scene_desc"), "other_scene_desc")
    clean["audit_desc"] = _text(value.get("audit_desc"), "audit_desc")
    return clean
