"""An official account's menu (OA-1, OA-3): the buttons its followers see, each a web
page or an associated mini program (page path and the fallback URL older clients open).

The stored shape is WeChat's menu button: `{"type": "view", "name", "url"}` or
`{"type": "miniprogram", "name", "appid", "pagepath", "url"}`. Limits are policy rows.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from miniport.core import policy
from miniport.core.errors import PlatformError
from miniport.links.official_accounts.errors import OfficialAccountError

URL_MAX = 1000
PAGEPATH_MAX = 200
_url = URLValidator(schemes=["http", "https"])
# A page of the mini program's package (the host app opens it inside the package): path
# segments of letters, digits, "_", "-" and ".", never "." or ".." (no way out of the
# package, no scheme, no leading "/"), then an optional query without spaces or "#".
_PAGE_SEGMENT = re.compile(r"^[A-Za-z0-9_.-]+\Z")
_QUERY = re.compile(r"^[!-~]*\Z")


def _refuse(reason: str, field: str = "menu") -> PlatformError:
    return PlatformError(OfficialAccountError.MENU_INVALID, field=field, reason=reason)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _checked_url(value: Any, field: str) -> str:
    url = _text(value)
    if not url or len(url) > URL_MAX or "\x00" in url:
        raise _refuse("url", field)
    try:
        _url(url)
    except ValidationError:
        raise _refuse("url", field) from None
    return url


def _checked_pagepath(value: Any, field: str) -> str:
    pagepath = _text(value)
    if not pagepath:
        return ""
    path, _mark, query = pagepath.partition("?")
    segments = path.split("/")
    if (
        len(pagepath) > PAGEPATH_MAX
        or not all(_PAGE_SEGMENT.match(part) and part not in (".", "..") for part in segments)
        or not _QUERY.match(query)
        or "#" in query
    ):
        raise _refuse("pagepath", field)
    return pagepath


def clean_menu(buttons: Any, linked_appids: set[str]) -> list[dict[str, str]]:
    """The menu as stored, or MENU_INVALID naming the button's field; a mini program
    button must name a mini program associated (linked) with the official account."""
    if not isinstance(buttons, list):
        raise _refuse("list")
    limit = policy.value("official_account.menu_buttons")
    if len(buttons) > limit:
        raise _refuse(f"≤ {limit}")
    name_max = policy.value("official_account.menu_name_length")
    cleaned: list[dict[str, str]] = []
    for index, button in enumerate(buttons):
        if not isinstance(button, dict):
            raise _refuse("button", f"button_{index}_type")
        name = _text(button.get("name"))
        if not name or len(name) > name_max or "\x00" in name:
            raise _refuse(f"name ≤ {name_max}", f"button_{index}_name")
        kind = button.get("type")
        url = _checked_url(button.get("url"), f"button_{index}_url")
        if kind == "view":
            cleaned.append({"type": "view", "name": name, "url": url})
            continue
        if kind != "miniprogram":
            raise _refuse("type", f"button_{index}_type")
        appid = _text(button.get("appid"))
        if appid not in linked_appids:
            raise PlatformError(
                OfficialAccountError.MENU_NOT_LINKED, field=f"button_{index}_appid", appid=appid
            )
        pagepath = _checked_pagepath(button.get("pagepath"), f"button_{index}_pagepath")
        cleaned.append(
            {"type": "miniprogram", "name": name, "appid": appid, "pagepath": pagepath, "url": url}
        )
    return cleaned


def served_menu(buttons: list[dict[str, str]], linked_appids: set[str]) -> list[dict[str, str]]:
    """The menu as the runtime answers it: a mini program button whose association has
    ended since becomes its fallback web page."""
    served = []
    for button in buttons:
        if button.get("type") == "miniprogram" and button.get("appid") not in linked_appids:
            served.append({"type": "view", "name": button["name"], "url": button["url"]})
        else:
            served.append(dict(button))
    return served
