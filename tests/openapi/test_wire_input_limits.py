"""B-2: input the JSON surfaces refuse before any handler runs (wechat-api 1.1): bodies that
are JSON but not storable text or finite numbers answer 47001, query values with NUL
40097, requests past Django's size caps 45002; each changes nothing."""

from __future__ import annotations

import pytest

from miniport.miniprograms.models import DevSettings
from tests.openapi.wire import credential_state


def domains(app) -> list:
    settings_row = DevSettings.objects.filter(miniprogram=app.miniprogram).first()
    return list(settings_row.request_domains) if settings_row else []


@pytest.mark.parametrize(
    "raw",
    [
        b'{"action": "add", "requestdomain": ["https://a.example.com"], "n": NaN}',
        b'{"action": "add", "requestdomain": ["https://a.example.com"], "n": Infinity}',
        b'{"action": "add", "requestdomain": ["https://a.example.com"], "n": -Infinity}',
        b'{"action": "add", "requestdomain": ["https://a.example.com"], "n": 1e400}',
        b'{"action": "add", "requestdomain": ["https://a.example.com/\\u0000"]}',
        b'{"action": "add", "requestdomain": ["https://a.example.com"], "\\u0000": 1}',
        b'{"action": "add", "requestdomain": ["https://\\ud800.example.com"]}',
        b'{"action": "add", "requestdomain": ["https://a.example.com"], "\\udfff": 1}',
    ],
    ids=["NaN", "Infinity", "-Infinity", "1e400", "NUL", "NUL key", "surrogate", "surrogate key"],
)
def test_json_that_is_not_storable_text_or_a_finite_number_answers_47001_and_changes_nothing(
    wire, app, raw
):
    token = wire.token(app)
    before = (credential_state(), domains(app))
    answer = wire.post_raw("/wxa/modify_domain", raw, access_token=token)
    assert answer["errcode"] == 47001
    assert (credential_state(), domains(app)) == before


def test_a_body_in_another_encoding_than_utf8_answers_47001(wire, app):
    token = wire.token(app)
    before = (credential_state(), domains(app))
    raw = '{"action": "add", "requestdomain": ["https://a.example.com"]}'.encode("utf-16")
    assert wire.post_raw("/wxa/modify_domain", raw, access_token=token)["errcode"] == 47001
    assert (credential_state(), domains(app)) == before


def test_a_deeply_nested_body_answers_47001(wire, app):
    token = wire.token(app)
    before = credential_state()
    raw = b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    assert wire.post_raw("/wxa/modify_domain", raw, access_token=token)["errcode"] == 47001
    assert credential_state() == before


def test_a_nul_in_a_query_value_answers_40097_and_changes_nothing(wire, app):
    before = credential_state()
    answer = wire.get(
        "/sns/jscode2session",
        appid=app.miniprogram.appid + "\x00",
        secret=app.secret,
        js_code="x" * 32,
        grant_type="authorization_code",
    )
    assert answer["errcode"] == 40097
    assert credential_state() == before


def test_a_body_past_the_upload_cap_answers_45002_and_changes_nothing(wire, app, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    token = wire.token(app)
    before = (credential_state(), domains(app))
    raw = b'{"action": "add", "requestdomain": ["https://a.example.com"], "pad": "'
    raw += b"x" * 2048 + b'"}'
    answer = wire.post_raw("/wxa/modify_domain", raw, access_token=token)
    assert answer["errcode"] == 45002
    assert (credential_state(), domains(app)) == before


def test_a_query_with_too_many_fields_answers_45002(wire, app, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    before = credential_state()
    params = {f"f{i}": "1" for i in range(20)}
    answer = wire.get(
        "/cgi-bin/token",
        grant_type="client_credential",
        appid=app.miniprogram.appid,
        secret=app.secret,
        **params,
    )
    assert answer["errcode"] == 45002
    assert credential_state() == before
