"""Mini program codes made through the server API (INF-7; wechat-api: getwxacode,
getwxacodeunlimit, createwxaqrcode): real QR images of the phone launch page that the
super-app opens (`material.launch_url`), with the page (`path`, or `scene` and `page`)
and, for a version other than the released one, `env_version` in the query.

- `wxacode_limited` (getwxacode): a page path up to 1024 characters; counted.
- `wxacode_unlimited` (getwxacodeunlimit): a scene and a page of the released version;
  not counted.
- `qrcode_limited` (createwxaqrcode): a plain QR code of a page path up to 128
  characters; counted with getwxacode.

The counted codes share one lifetime total per mini program (policy
"wxacode.max_total", a quota counter with the window "ever"). Every argument is checked
before anything is counted, and the count and the drawing share one transaction, so a
refused call counts nothing.

Refusals:
- a field out of its rules (missing path or scene, too long, a scene character outside
  WeChat's set, a width outside 280..1280, a line colour that is not {r, g, b} of 0..255
  or too light to scan on the white (or transparent) background, a flag that is not a boolean, an env_version other than release / trial / develop, a
  page with a leading slash or a query): ReleaseError.WXACODE_ARG_INVALID (40097), naming
  the field;
- getwxacodeunlimit with check_path: a page not in the released version's package, or no
  released version at all: WXACODE_PAGE_INVALID (41030);
- getwxacode and createwxaqrcode past the lifetime total: WXACODE_COUNT_LIMIT (45029).

Making a code changes nothing but the counter, so no audit row or event is written: a
mini program may make 100,000 of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db import transaction

from miniport.core import qr, quotas
from miniport.core.errors import PlatformError, Words
from miniport.core.validators import whole_number
from miniport.miniprograms.models import MiniProgram
from miniport.miniprograms.services import material
from miniport.releases import selectors
from miniport.releases.errors import ReleaseError
from miniport.releases.packages.manifest import PackageManifest

COUNT_RULE = "wxacode.max_total"

# WeChat's wire contract for the three APIs (field formats, not operator policy).
MAX_PATH_CHARS = 1024  # getwxacode's path
MAX_QRCODE_PATH_CHARS = 128  # createwxaqrcode's path
MIN_WIDTH, MAX_WIDTH, DEFAULT_WIDTH = 280, 1280, 430
MAX_SCENE_CHARS = 32
SCENE = re.compile(r"[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]+")
_COLOUR_KEYS = ("r", "g", "b")
# The lines must stand out from the white background a reader sees behind the code (a
# transparent code is laid on a page, usually a light one): a contrast ratio against
# white of at least 3:1 (WCAG's non-text contrast; the same bound as a relative luminance
# of at most 0.30, ISO/IEC 15415's best symbol-contrast grade). Black is 21:1.
MIN_CONTRAST = 3.0
_TRUE, _FALSE = ("true", "1"), ("false", "0")


@dataclass(frozen=True)
class CodeImage:
    content: bytes
    content_type: str  # image/jpeg, or image/png for a transparent code

    @property
    def filename(self) -> str:
        return "wxacode.png" if self.content_type == "image/png" else "wxacode.jpeg"


def count_scope(miniprogram: MiniProgram) -> str:
    return f"wxacode:{miniprogram.appid}"


def codes_made(miniprogram: MiniProgram) -> int:
    """How many counted codes (getwxacode, createwxaqrcode) the mini program has made."""
    return quotas.used(count_scope(miniprogram), COUNT_RULE, "ever")


# --- the arguments -------------------------------------------------------------------------


def _refuse(field: str, zh: str, en: str) -> PlatformError:
    return PlatformError(ReleaseError.WXACODE_ARG_INVALID, field=field, reason=Words(zh, en))


def _text(value: Any, field: str, *, limit: int, required: bool = True) -> str:
    if value is None:
        value = ""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # a number sent for a text field, as WeChat accepts
    if not isinstance(value, str):
        raise _refuse(field, "必须是字符串", "must be a string")
    if required and not value:
        raise _refuse(field, "不能为空", "is required")
    if len(value) > limit:
        raise _refuse(field, f"最多 {limit} 个字符", f"at most {limit} characters")
    return value


def _width(value: Any) -> int:
    if value is None or value == "":
        return DEFAULT_WIDTH
    width = whole_number(value)
    if width is None or not MIN_WIDTH <= width <= MAX_WIDTH:
        raise _refuse(
            "width",
            f"必须是 {MIN_WIDTH} 到 {MAX_WIDTH} 之间的整数（像素）",
            f"must be a whole number of pixels from {MIN_WIDTH} to {MAX_WIDTH}",
        )
    return width


def _flag(value: Any, field: str, default: bool) -> bool:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, int | str) and str(value).strip().lower() in _TRUE + _FALSE:
        return str(value).strip().lower() in _TRUE
    raise _refuse(field, "必须是 true 或 false", "must be true or false")


def _colour(line_color: Any, auto_color: bool) -> tuple[int, int, int]:
    """The lines' colour: black when the colour is automatic (a black code reads on any
    background), else `line_color`'s r, g and b."""
    if line_color is None or line_color == "":
        return (0, 0, 0)
    refused = _refuse(
        "line_color",
        "必须是 {r, g, b}，每项为 0 到 255 之间的整数",
        "must be {r, g, b}, each a whole number from 0 to 255",
    )
    if not isinstance(line_color, dict):
        raise refused
    parts = [whole_number(line_color.get(key, 0)) for key in _COLOUR_KEYS]
    if any(part is None or not 0 <= part <= 255 for part in parts):
        raise refused
    if auto_color:
        return (0, 0, 0)
    r, g, b = (int(part) for part in parts if part is not None)
    if contrast_with_white((r, g, b)) < MIN_CONTRAST:
        raise _refuse(
            "line_color",
            f"颜色太浅，与白色背景的对比度低于 {MIN_CONTRAST:g}:1，码无法识别",
            f"too light to scan: its contrast with the white background is below "
            f"{MIN_CONTRAST:g}:1",
        )
    return (r, g, b)


def _linear(channel: int) -> float:
    value = channel / 255
    return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4


def contrast_with_white(colour: tuple[int, int, int]) -> float:
    """The contrast ratio of an sRGB colour against white, from 1 (white) to 21 (black):
    (1.05) / (L + 0.05), L the colour's relative luminance (WCAG 2)."""
    r, g, b = (_linear(part) for part in colour)
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 1.05 / (luminance + 0.05)


def _env(value: Any) -> str:
    if value is None or value == "":
        return selectors.ENV_RELEASE
    if value not in selectors.ENVS:
        raise _refuse(
            "env_version",
            "只能是 release、trial 或 develop",
            "must be release, trial or develop",
        )
    return str(value)


def _url(miniprogram: MiniProgram, params: dict[str, str], env_version: str) -> str:
    if env_version != selectors.ENV_RELEASE:
        params = {**params, "env_version": env_version}
    return f"{material.launch_url(miniprogram)}?{urlencode(params)}"


def _released_pages(miniprogram: MiniProgram) -> tuple[str, ...] | None:
    online = selectors.online_version(miniprogram)
    if online is None:
        return None
    return PackageManifest.coerce(online.dev_version.package.manifest).all_pages


def _counted(miniprogram: MiniProgram, draw) -> CodeImage:
    with transaction.atomic():
        quotas.consume(
            count_scope(miniprogram),
            COUNT_RULE,
            window="ever",
            error=ReleaseError.WXACODE_COUNT_LIMIT,
        )
        return draw()


# --- the three codes -----------------------------------------------------------------------


def wxacode_limited(
    *,
    miniprogram: MiniProgram,
    path: Any,
    width: Any = None,
    auto_color: Any = None,
    line_color: Any = None,
    is_hyaline: Any = None,
    env_version: Any = None,
) -> CodeImage:
    """getwxacode: a code of `path` (a page, with its query if any), counted."""
    page_path = _text(path, "path", limit=MAX_PATH_CHARS)
    side = _width(width)
    colour = _colour(line_color, _flag(auto_color, "auto_color", False))
    transparent = _flag(is_hyaline, "is_hyaline", False)
    url = _url(miniprogram, {"path": page_path}, _env(env_version))
    return _counted(miniprogram, lambda: _image(url, side, colour, transparent))


def wxacode_unlimited(
    *,
    miniprogram: MiniProgram,
    scene: Any,
    page: Any = None,
    check_path: Any = None,
    env_version: Any = None,
    width: Any = None,
    auto_color: Any = None,
    line_color: Any = None,
    is_hyaline: Any = None,
) -> CodeImage:
    """getwxacodeunlimit: a code of `scene` on `page` (the home page when none), not
    counted; with `check_path` (the default) the page must be one of the released
    version's."""
    scene_text = _text(scene, "scene", limit=MAX_SCENE_CHARS)
    if not SCENE.fullmatch(scene_text):
        raise _refuse(
            "scene",
            "最多 32 个可见字符，只能包含数字、大小写英文字母及 !#$&'()*+,/:;=?@-._~",
            "at most 32 visible characters: digits, letters and !#$&'()*+,/:;=?@-._~",
        )
    page_text = _text(page, "page", limit=MAX_PATH_CHARS, required=False)
    if page_text.startswith("/") or "?" in page_text:
        raise _refuse(
            "page",
            "不能以 / 开头，也不能携带参数（参数请放在 scene 中）",
            "must not start with / nor carry a query (put parameters in scene)",
        )
    checked = _flag(check_path, "check_path", True)
    env = _env(env_version)
    side = _width(width)
    colour = _colour(line_color, _flag(auto_color, "auto_color", False))
    transparent = _flag(is_hyaline, "is_hyaline", False)
    if checked:
        pages = _released_pages(miniprogram)
        named = page_text or Words("首页", "the home page")
        if pages is None:
            reason = Words("尚无已发布的版本", "nothing is released yet")
            raise PlatformError(ReleaseError.WXACODE_PAGE_INVALID, page=named, reason=reason)
        if page_text and page_text not in pages:
            reason = Words("不在已发布的版本中", "not a page of the released version")
            raise PlatformError(ReleaseError.WXACODE_PAGE_INVALID, page=named, reason=reason)
    params = {"scene": scene_text}
    if page_text:
        params["page"] = page_text
    return _image(_url(miniprogram, params, env), side, colour, transparent, field="page")


def qrcode_limited(*, miniprogram: MiniProgram, path: Any, width: Any = None) -> CodeImage:
    """createwxaqrcode: a plain black-on-white QR code of `path`, counted."""
    page_path = _text(path, "path", limit=MAX_QRCODE_PATH_CHARS)
    side = _width(width)
    url = _url(miniprogram, {"path": page_path}, selectors.ENV_RELEASE)
    return _counted(miniprogram, lambda: _image(url, side, (0, 0, 0), False))


def _image(
    url: str, width: int, colour: tuple[int, int, int], transparent: bool, field: str = "path"
) -> CodeImage:
    try:
        content = qr.sized_bytes(url, width=width, dark=colour, transparent=transparent)
    except qr.TooLong:
        # Within its length a page of many non-ASCII characters may still make a URL
        # longer than the largest code holds (each character is nine bytes encoded).
        raise _refuse(
            field,
            "内容过长，无法放入一个码中",
            "too long to fit in one code",
        ) from None
    return CodeImage(content, "image/png" if transparent else "image/jpeg")
