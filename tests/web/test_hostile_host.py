"""A Host header not in ALLOWED_HOSTS (`evil.example`, `127.0.0.1:8131@evil.example`) is
refused in the surface's language: HTTP 200 and errcode 40097 on the JSON API (wechat-api
1.1), HTTP 200 and a return_code FAIL envelope on the pay XML API (wechat-pay-v2 1), the
400 page elsewhere; and anyone may send one, so the log keeps one line for it, never a
traceback."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client

from miniport.core.errors import CoreError

pytestmark = pytest.mark.django_db

HOSTS = ["evil.example", "127.0.0.1:8131@evil.example"]
DISALLOWED_HOST_LOGGER = "django.security.DisallowedHost"


def _client() -> Client:
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("host", HOSTS)
@pytest.mark.parametrize("path", ["/cgi-bin/token", "/sns/jscode2session", "/runtime/v1/ping"])
def test_a_hostile_host_on_the_json_api_is_errcode_40097_with_http_200(host, path):
    response = _client().get(path, HTTP_HOST=host)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert json.loads(response.content)["errcode"] == CoreError.INVALID_ARGS.errcode


@pytest.mark.parametrize("host", HOSTS)
@pytest.mark.parametrize("path", ["/pay/orderquery", "/secapi/pay/refund"])
def test_a_hostile_host_on_the_pay_api_is_the_fail_envelope_with_http_200(host, path):
    response = _client().post(path, b"<xml></xml>", content_type="text/xml", HTTP_HOST=host)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    body = response.content.decode()
    assert body.startswith("<xml><return_code><![CDATA[FAIL]]></return_code><return_msg>")
    assert "<html" not in body


def test_a_hostile_host_on_a_page_keeps_the_400_page():
    response = _client().get("/login/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("path", ["/cgi-bin/token", "/pay/orderquery", "/login/"])
def test_a_hostile_host_is_logged_as_one_warning_line_without_a_traceback(caplog, path):
    """Django logs a refused Host as an ERROR with its traceback; the platform keeps the
    line (it names the Host, which tells an operator a name is missing from
    ALLOWED_HOSTS) as a WARNING, without the traceback."""
    with caplog.at_level(logging.INFO):
        _client().get(path, HTTP_HOST="evil.example")
    refused = [r for r in caplog.records if r.name == DISALLOWED_HOST_LOGGER]
    assert len(refused) == 1
    (record,) = refused
    assert record.levelno == logging.WARNING
    assert record.exc_info is None
    line = logging.Formatter().format(record)
    assert "evil.example" in line and "\n" not in line
    for other in caplog.records:
        assert other.exc_info is None, other.name
