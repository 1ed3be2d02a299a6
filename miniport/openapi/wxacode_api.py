"""Mini program codes through the server API (INF-7; wechat-api: getwxacode,
getwxacodeunlimit, createwxaqrcode), the caller the app (role "app").

Each answers the image's raw bytes (JPEG, or PNG for `is_hyaline`), errors as JSON:
40097 a field out of its rules (named in errmsg), 41030 a page not in the released
version (getwxacodeunlimit with check_path), 45029 the lifetime total of counted codes
used up (getwxacode, createwxaqrcode). The rules are `releases.services.wxacode`'s."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from pydantic import Field

from miniport.releases.services import wxacode
from miniport.web.api import Call, WireModel, post

TAGS = ("wxacode",)

# Fields are taken as sent and checked by the service, so a wrong one is 40097 naming it
# (a typed field would be refused by the parser as 47001 without saying which).
_STRING: dict[str, Any] = {"type": "string"}
_INTEGER: dict[str, Any] = {"type": "integer"}
_BOOLEAN: dict[str, Any] = {"type": "boolean"}
_COLOUR: dict[str, Any] = {
    "type": "object",
    "properties": {"r": _INTEGER, "g": _INTEGER, "b": _INTEGER},
}
_ENV: dict[str, Any] = {"type": "string", "enum": ["release", "trial", "develop"]}


class _Drawn(WireModel):
    """How a mini program code is drawn, and for which version."""

    width: Any = Field(None, json_schema_extra=_INTEGER)
    auto_color: Any = Field(None, json_schema_extra=_BOOLEAN)
    line_color: Any = Field(None, json_schema_extra=_COLOUR)
    is_hyaline: Any = Field(None, json_schema_extra=_BOOLEAN)
    env_version: Any = Field(None, json_schema_extra=_ENV)


class WxacodeBody(_Drawn):
    path: Any = Field(None, json_schema_extra=_STRING)


class WxacodeUnlimitBody(_Drawn):
    scene: Any = Field(None, json_schema_extra=_STRING)
    page: Any = Field(None, json_schema_extra=_STRING)
    check_path: Any = Field(None, json_schema_extra=_BOOLEAN)


class QrcodeBody(WireModel):
    path: Any = Field(None, json_schema_extra=_STRING)
    width: Any = Field(None, json_schema_extra=_INTEGER)


def _image(code: wxacode.CodeImage) -> HttpResponse:
    response = HttpResponse(code.content, content_type=code.content_type)
    response["Content-Disposition"] = f'inline; filename="{code.filename}"'
    response["Cache-Control"] = "no-cache, must-revalidate"
    return response


@post("/wxa/getwxacode", body=WxacodeBody, permission="profile.view", tags=TAGS)
def getwxacode(call: Call) -> HttpResponse:
    """A mini program code of a page (`path`, at most 1024 characters): JPEG, PNG when
    `is_hyaline`; counted against the lifetime total (45029 once it is used up)."""
    return _image(wxacode.wxacode_limited(miniprogram=call.miniprogram, **call.body.model_dump()))


@post("/wxa/getwxacodeunlimit", body=WxacodeUnlimitBody, permission="profile.view", tags=TAGS)
def getwxacodeunlimit(call: Call) -> HttpResponse:
    """A mini program code of a `scene` (at most 32 characters of WeChat's set) on a
    `page` (the home page when none), not counted; with `check_path` (the default) the
    page must be in the released version (41030 otherwise)."""
    return _image(wxacode.wxacode_unlimited(miniprogram=call.miniprogram, **call.body.model_dump()))


@post("/cgi-bin/wxaapp/createwxaqrcode", body=QrcodeBody, permission="profile.view", tags=TAGS)
def createwxaqrcode(call: Call) -> HttpResponse:
    """A plain QR code of a page (`path`, at most 128 characters) as a JPEG; counted with
    getwxacode against the lifetime total (45029 once it is used up)."""
    return _image(wxacode.qrcode_limited(miniprogram=call.miniprogram, **call.body.model_dump()))
