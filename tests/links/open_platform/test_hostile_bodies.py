"""OPN-1 against hostile bodies: every /cgi-bin/open/* route answers a documented errcode
for any body (wrong types, arrays, huge or odd strings, NUL, extra or missing fields,
empty, not JSON) and writes nothing."""

from __future__ import annotations

import json

import pytest

from miniport.links.open_platform.models import OpenAccount, OpenBinding
from tests.openapi.wire import Wire

PATHS = ("/cgi-bin/open/create", "/cgi-bin/open/bind", "/cgi-bin/open/unbind", "/cgi-bin/open/get")
# 0 success (create/get of a bound app may succeed on an optional field) and the
# documented refusals: wire (44002 empty, 47001 not a JSON object, 40097 invalid field),
# 40013 invalid appid/open_appid, 89000..89004, 89036.
DOCUMENTED = {0, 40013, 40097, 44002, 47001, 89000, 89001, 89002, 89003, 89004, 89036}

BODIES: list[bytes] = [
    b"",
    b"   ",
    b"not json",
    b"[]",
    b"null",
    b"42",
    b'"wx"',
    b"{",
    b'{"open_appid": "wx1", "open_appid": "wx2"}',
    b"\xff\xfe{}",
    b'{"open_appid": NaN}',
    b'{"open_appid": 1e999}',
    json.dumps({"open_appid": ["wx"]}).encode(),
    json.dumps({"open_appid": {"a": 1}}).encode(),
    json.dumps({"open_appid": None}).encode(),
    json.dumps({"open_appid": True}).encode(),
    json.dumps({"open_appid": 12345678901234567890}).encode(),
    json.dumps({"open_appid": 1.5}).encode(),
    json.dumps({"open_appid": "x" * 1_000_000}).encode(),
    json.dumps({"open_appid": "wx\u0000abc"}).encode(),
    json.dumps({"open_appid": "\ud800"}).encode(),
    json.dumps({"open_appid": "微信开放平台🙂"}).encode(),
    json.dumps({"open_appid": "   "}).encode(),
    json.dumps({"appid": ["wx"]}).encode(),
    json.dumps({"appid": "wx\u0000"}).encode(),
    json.dumps({"appid": "x" * 100_000}).encode(),
    json.dumps({"appid": 7}).encode(),
    json.dumps({"extra": "field", "nested": {"x": [1, 2]}}).encode(),
    json.dumps({}).encode(),
]


@pytest.fixture
def company(provision):
    return provision("enterprise", certified=True)


def state() -> tuple:
    return (
        sorted(OpenAccount.objects.values_list("open_appid", "bound_count", "certification")),
        sorted(OpenBinding.objects.values_list("open_account_id", "miniprogram_id")),
    )


@pytest.mark.parametrize("path", PATHS)
def test_opn1_hostile_bodies_answer_documented_errcodes_and_write_nothing(client, company, path):
    wire = Wire(client)
    token = wire.token(company)
    for raw in BODIES:
        before = state()
        result = wire.post_raw(path, raw, content_type="application/json", access_token=token)
        assert result["errcode"] in DOCUMENTED, (raw[:60], result)
        if result["errcode"]:
            assert state() == before, raw[:60]
        elif path == "/cgi-bin/open/create":
            # A successful create is the one write allowed: undo it for the next body.
            OpenBinding.objects.all().delete()
            OpenAccount.objects.all().delete()
