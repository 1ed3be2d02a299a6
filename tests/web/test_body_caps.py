"""Issue 9 items 2 and 9: the body caps and the request line limit in Django itself
(miniport.web.limits, RequestLimitsMiddleware), which hold without the front too, and
the front's config written from the same table."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.test import RequestFactory

from miniport.core.services import policy_set_override
from miniport.web import limits
from miniport.web.middleware import RequestLimitsMiddleware

pytestmark = pytest.mark.django_db
GIB = 1024 * 1024 * 1024


class MustNotBeRead:
    """A request body that fails the test if anything reads it."""

    def read(self, *_args):
        raise AssertionError("the body was read")

    readline = read


class Endless:
    """A body without a declared length that never ends; counts what was read."""

    def __init__(self) -> None:
        self.given = 0

    def read(self, size=-1):
        size = 65536 if size is None or size < 0 else size
        self.given += size
        return b"x" * size

    readline = read


def declared(path: str, length: int, stream=None):
    request = RequestFactory().post(path, data=b"", content_type="application/octet-stream")
    request.META["CONTENT_LENGTH"] = str(length)
    request._stream = stream or MustNotBeRead()
    return request


def never_called(_request):
    raise AssertionError("the request reached the view")


@pytest.mark.parametrize("path", ["/wxa/modify_domain", "/cgi-bin/media/upload", "/runtime/v1/x"])
def test_a_declared_length_over_the_cap_is_refused_unread_with_45002_on_the_api(path):
    """Issue 9 item 2: Content-Length over the route's cap: 45002 (HTTP 200), the body
    never read, the view never called."""
    response = RequestLimitsMiddleware(never_called)(declared(path, GIB))
    assert response.status_code == 200
    assert json.loads(response.content)["errcode"] == 45002


@pytest.mark.parametrize("path", ["/login/", "/ops/remittances/import/", "/m/login/"])
def test_a_declared_length_over_the_cap_is_refused_unread_with_a_413_page_on_pages(path):
    response = RequestLimitsMiddleware(never_called)(declared(path, GIB))
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")


def test_upload_routes_have_their_own_larger_caps():
    """Issue 9 item 2: a body over the default cap but under the upload route's own one
    reaches the view; the same body to a JSON route is refused."""
    default = limits.default_cap()
    media_cap, row = limits.cap_for("/cgi-bin/media/upload")
    assert row is not None and media_cap > default
    reached = []
    passed = RequestLimitsMiddleware(lambda request: reached.append(1) or "answered")
    assert passed(declared("/cgi-bin/media/upload", default + 1)) == "answered"
    assert reached == [1]
    refused = passed(declared("/wxa/modify_domain", default + 1))
    assert json.loads(refused.content)["errcode"] == 45002
    assert reached == [1]


def test_the_caps_follow_the_policy_rows(system_actor):
    """Issue 9 item 2: an operator's override of a package or image limit moves the cap."""
    before, _row = limits.cap_for("/cgi-bin/media/upload")
    policy_set_override(actor=system_actor, key="media.image_max_bytes", value=1024)
    after, _row = limits.cap_for("/cgi-bin/media/upload")
    assert after == 1024 + limits.default_cap() < before


def test_a_body_without_a_declared_length_is_never_read_past_the_cap():
    """Issue 9 item 2: a streamed (chunked) body is cut at the cap: whoever reads it gets
    RequestDataTooBig, and at most the cap plus one byte came off the wire."""
    endless = Endless()
    request = RequestFactory().post("/login/", data=b"", content_type="text/plain")
    request.META.pop("CONTENT_LENGTH", None)
    request._stream = endless

    def view(request):
        while request.read(65536):  # reads on and on, as a careless view would
            pass
        raise AssertionError("read an endless body")

    from django.core.handlers.exception import convert_exception_to_response

    response = RequestLimitsMiddleware(convert_exception_to_response(view))(request)
    assert response.status_code == 413
    assert endless.given <= limits.default_cap() + 1


def test_a_request_line_over_four_kb_is_40097_on_the_api_and_414_on_pages(client):
    """Issue 9 item 9: long request lines answer in the surface's language."""
    long = "a" * limits.MAX_REQUEST_LINE_BYTES
    api = client.get(f"/sns/jscode2session?appid={long}")
    assert api.status_code == 200
    assert json.loads(api.content)["errcode"] == 40097
    page = client.get(f"/login/?next={long}")
    assert page.status_code == 414
    assert client.get("/login/?next=" + "a" * 3000).status_code == 200


def test_the_console_upload_keeps_its_own_413_page_and_is_still_cut_at_its_cap():
    """VER-1 with issue 9 item 2: the console upload view refuses a declared length
    itself (its page names the limit); the middleware only cuts the stream there."""
    cap, row = limits.cap_for("/versions/upload/")
    assert row is not None and row.view_refuses
    reached = []
    RequestLimitsMiddleware(lambda request: reached.append(request._stream) or "view")(
        declared("/versions/upload/", GIB)
    )
    assert isinstance(reached[0], limits.CappedStream)


def test_the_front_config_carries_the_same_caps_and_overwrites_forwarded_headers(tmp_path):
    """Issue 9 item 2: nginx's locations are written from the same table, and nginx sets
    X-Forwarded-For and X-Forwarded-Proto itself (a client cannot forge them); behind a
    declared outer proxy it appends instead."""
    from miniport.cli import front

    conf = front.config(
        front=Path(tmp_path),
        host="127.0.0.1",
        port=8000,
        backend="127.0.0.1:9000",
        outer_proxies=0,
        value=limits.policy_default,
    )
    for name, pattern, cap in limits.caps_table(limits.policy_default):
        if pattern == "^/":
            assert f"    client_max_body_size {cap};" in conf
            continue
        block = re.search(
            re.escape(f"location ~ {pattern} {{") + r"\s+client_max_body_size (\d+);", conf
        )
        assert block is not None, name
        assert int(block.group(1)) == cap
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in conf
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in conf
    assert f"large_client_header_buffers 4 {limits.FRONT_LINE_BYTES};" in conf
    behind = front.config(
        front=Path(tmp_path),
        host="0.0.0.0",
        port=8000,
        backend="127.0.0.1:9000",
        outer_proxies=1,
        value=limits.policy_default,
    )
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in behind
