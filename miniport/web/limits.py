"""How large a request may be, per route: one table read by the front (nginx's
`client_max_body_size` per `location`, written by `miniport serve`) and by
`RequestLimitsMiddleware` in Django itself (issue 9 items 2 and 9).

Every body is capped before it is read. The default cap, for forms and JSON, is
Django's own `DATA_UPLOAD_MAX_MEMORY_SIZE`; the routes that take files have their
own, computed from the policy rows that bound what they accept, plus one default
body for the other fields of the form. Caps follow the policy rows at each request
in Django; the front takes them when `miniport serve` starts (restart it after
changing one of these rows).

A request line (method, target and protocol) longer than `MAX_REQUEST_LINE_BYTES`
is refused too: the front lets lines up to its own buffer through so that Django
answers in the surface's language (an errcode for the JSON API, a 414 page else).

Patterns are anchored regular expressions written in the syntax Python's `re` and
nginx's PCRE read alike.
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse

from miniport.core import policy
from miniport.core.errors import CoreError, ErrorCode
from miniport.miniprograms import catalog
from miniport.review.services import SCREENSHOTS_MAX

# The request line a client may send: WeChat's own API refuses longer ones too, and no
# page or endpoint of the platform needs more (the front buffers up to FRONT_LINE_BYTES
# so that Django, not the front, answers between the two).
MAX_REQUEST_LINE_BYTES = 4096
FRONT_LINE_BYTES = 32 * 1024

# Paths of the JSON API (WeChat's wire rules: HTTP 200 and an errcode, never a page).
API_PREFIXES = ("/cgi-bin/", "/wxa/", "/sns/", "/runtime/")
API_PATTERN = r"^/(cgi-bin|wxa|sns|runtime)/"
# The WeChat Pay v2 XML API of the sandbox: its refusals are <xml> envelopes.
PAY_XML_PREFIXES = ("/pay/", "/secapi/", "/sandboxnew/")
PAY_XML_PATTERN = r"^/(pay|secapi|sandboxnew)/"
# What WeChat Pay answers a body or request line it will not read: HTTP 200 with an
# unsigned return_code FAIL envelope (reference §1); the messages are its own.
PAY_TOO_LARGE_MESSAGE = "请求内容超过大小限制"
PAY_LINE_TOO_LONG_MESSAGE = "请求行过长"


def default_cap() -> int:
    """Forms and JSON bodies: Django's own cap on what it reads into memory."""
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


def _policy_value(key: str) -> int:
    return int(policy.value(key))


def policy_default(key: str) -> int:
    """A rule's default, for the front's config when the database cannot be read yet."""
    return int(policy.RULES_BY_KEY[key].default)


@cache
def _most_qualifications() -> int:
    """The most documents one category of any catalog asks for (one image each)."""
    return max(
        len(category.qualifications) or 1
        for kind in catalog.KINDS
        for category in catalog.catalog(kind).by_id.values()
    )


def _most_certification_documents() -> int:
    """The most documents one certification application may carry (CER-2)."""
    from miniport.payments.certification import documents

    return max(len(documents.allowed_for(kind)) for kind in documents.REQUIRED)


def _merchant_documents() -> int:
    """The documents a payment application may carry (PAY-1)."""
    from miniport.payments.merchants import documents

    return len(documents.DOCUMENTS)


@dataclass(frozen=True)
class BodyCap:
    """A route that accepts more than the default body."""

    name: str
    pattern: str
    cap: Callable[[Callable[[str], int]], int]  # given how to read a policy value
    # The view refuses a declared length over the cap itself, with its own page (the
    # middleware then only stops the body at the cap, it never reads past it).
    view_refuses: bool = False

    @property
    def regex(self) -> re.Pattern[str]:
        return _compiled(self.pattern)


_COMPILED: dict[str, re.Pattern[str]] = {}


def _compiled(pattern: str) -> re.Pattern[str]:
    found = _COMPILED.get(pattern)
    if found is None:
        found = _COMPILED[pattern] = re.compile(pattern)
    return found


BODY_CAPS: tuple[BodyCap, ...] = (
    BodyCap(
        "code package upload with an upload key (B-10)",
        r"^/cgi-bin/miniport/upload$",
        lambda v: v("package.max_total_bytes") + v("dev.upload_body_margin_bytes") + default_cap(),
    ),
    BodyCap(
        "console code package upload (VER-1)",
        r"^/versions/upload/$",
        lambda v: v("console.upload_max_bytes"),
        view_refuses=True,
    ),
    BodyCap(
        "temporary media upload (wechat-api 7.5), review media (4.13)",
        r"^/(cgi-bin/media/upload|wxa/uploadmedia)$",
        lambda v: v("media.image_max_bytes") + default_cap(),
    ),
    BodyCap(
        "review submission screenshots (VER-3)",
        r"^/versions/(submit|screenshot)/$",
        lambda v: v("submit.max_screenshots") * v("media.image_max_bytes") + default_cap(),
    ),
    BodyCap(
        "category qualification certificates (INF-6)",
        r"^/settings/basic/categories/",
        lambda v: _most_qualifications() * v("media.image_max_bytes") + default_cap(),
    ),
    BodyCap(
        "certification documents (CER-2)",
        r"^/settings/basic/certification/(apply|supplement)/$",
        lambda v: (
            _most_certification_documents() * v("certification.document_max_bytes") + default_cap()
        ),
    ),
    BodyCap(
        "payment application documents (PAY-1)",
        r"^/payments/(apply|supplement)/$",
        lambda v: _merchant_documents() * v("media.image_max_bytes") + default_cap(),
    ),
    BodyCap(
        "console plugin package upload (PLG-7)",
        r"^/plugin/versions/upload/$",
        lambda v: v("console.upload_max_bytes"),
        view_refuses=True,
    ),
    BodyCap(
        "plugin submission preview images (PLG-8)",
        r"^/plugin/versions/submit/$",
        lambda v: (
            v("plugin_version.max_preview_images") * v("media.image_max_bytes") + default_cap()
        ),
    ),
    BodyCap(
        "plugin documentation folder (PLG-6)",
        r"^/plugin/docs/upload/$",
        lambda v: v("plugin.doc_max_zip_bytes") + default_cap(),
    ),
    BodyCap(
        "plugin payment proofs (PLG-10)",
        r"^/plugin/payment/(apply|supplement)/$",
        lambda v: (
            v("plugin.payment_max_documents") * v("plugin.payment_document_max_bytes")
            + default_cap()
        ),
    ),
    BodyCap(
        "plugin avatar (PLG-5)",
        r"^/plugin/basic/edit/$",
        lambda v: v("avatar.max_bytes") + default_cap(),
    ),
    BodyCap(
        "avatar (INF-4)",
        r"^/settings/basic/edit/",
        lambda v: v("avatar.max_bytes") + default_cap(),
    ),
    BodyCap(
        "bank statement import (REG-6)",
        r"^/ops/remittances/import/$",
        lambda v: v("registration.statement_max_bytes") + default_cap(),
    ),
    BodyCap(
        "reviewer's screenshots with a decision (VER-5)",
        r"^/ops/reviews/[0-9]+/",
        lambda v: SCREENSHOTS_MAX * v("ops.review_screenshot_bytes") + default_cap(),
    ),
)


def cap_for(path: str) -> tuple[int, BodyCap | None]:
    """The largest body the route of `path` accepts, and its table row (None: the default)."""
    row = _row_for(path)
    if row is None:
        return default_cap(), None
    return row.cap(_policy_value), row


@functools.lru_cache(maxsize=1024)
def _row_for(path: str) -> BodyCap | None:
    """The table's row of `path`, remembered for the paths called most (the table is
    fixed at import, the caps are read fresh): matching each pattern in turn was most of
    the body check of every POST to the API (issue 14 item 1)."""
    for row in BODY_CAPS:
        if row.regex.match(path):
            return row
    return None


def is_api(path: str) -> bool:
    return path.startswith(API_PREFIXES)


def is_pay_xml(path: str) -> bool:
    return path.startswith(PAY_XML_PREFIXES)


def pay_xml_body(message: str) -> str:
    """The unsigned protocol failure envelope of WeChat Pay v2 (return_code FAIL)."""
    safe = message.replace("]]>", "")
    return (
        "<xml><return_code><![CDATA[FAIL]]></return_code>"
        f"<return_msg><![CDATA[{safe}]]></return_msg></xml>"
    )


def caps_table(value: Callable[[str], int] = _policy_value) -> list[tuple[str, str, int]]:
    """(name, pattern, bytes) of every row and the default, for the front and the docs."""
    rows = [(row.name, row.pattern, row.cap(value)) for row in BODY_CAPS]
    return [*rows, ("forms and JSON (default)", "^/", default_cap())]


# --- refusals --------------------------------------------------------------------------


def _api_refusal(code: ErrorCode) -> HttpResponse:
    from miniport.web.api import error_body, json_response

    error = _platform_error(code)
    return json_response(error_body(error))


def _platform_error(code: ErrorCode) -> Any:
    from miniport.core.errors import PlatformError

    return PlatformError(code)


def page(status: int, code: ErrorCode) -> HttpResponse:
    """A small page in both languages: it is answered before the language is known."""
    zh, en = html.escape(code.message("zh-hans")), html.escape(code.message("en"))
    body = (
        f'<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8">'
        f"<title>{status}</title></head><body><h1>{status}</h1>"
        f'<p>{zh}</p><p lang="en">{en}</p></body></html>'
    )
    return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")


def refusal(path: str, *, too_large: bool) -> HttpResponse:
    """Too large a body (45002 / 413) or too long a request line (40097 / 414)."""
    code = CoreError.CONTENT_TOO_LARGE if too_large else CoreError.INVALID_ARGS
    if is_pay_xml(path):
        message = PAY_TOO_LARGE_MESSAGE if too_large else PAY_LINE_TOO_LONG_MESSAGE
        return HttpResponse(
            pay_xml_body(message).encode(), status=200, content_type="text/xml; charset=utf-8"
        )
    if is_api(path):
        return _api_refusal(code)
    return page(413 if too_large else 414, code)


def front_refusal_json(code: ErrorCode) -> str:
    """The same errcode body, as the front answers it for a body it refuses itself."""
    return json.dumps(
        {"errcode": code.errcode, "errmsg": code.message("en")}, separators=(",", ":")
    )


# --- the body stream -------------------------------------------------------------------


class CappedStream:
    """Django's request stream, ending in RequestDataTooBig past `cap` bytes: whatever
    reads the body (the multipart parser, request.body, a view reading chunks), it never
    gets, and so never spools, more than the cap."""

    def __init__(self, stream: Any, cap: int, request: Any) -> None:
        self._stream = stream
        self._left = cap
        self._request = request

    def _take(self, data: bytes) -> bytes:
        self._left -= len(data)
        if self._left < 0:
            self._request.body_cap_exceeded = True
            raise RequestDataTooBig("request body over the route's cap")
        return data

    def read(self, size: int | None = -1, /) -> bytes:
        if size is None or size < 0:  # all of it: until the end, or one byte past the cap
            parts = []
            while chunk := self._take(self._stream.read(self._left + 1)):
                parts.append(chunk)
            return b"".join(parts)
        return self._take(self._stream.read(min(size, self._left + 1)))

    def readline(self, size: int | None = -1, /) -> bytes:
        if size is None or size < 0:
            return self._take(self._stream.readline(self._left + 1))
        return self._take(self._stream.readline(min(size, self._left + 1)))

    def __iter__(self):
        return iter(self.readline, b"")

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close is not None:
            close()
