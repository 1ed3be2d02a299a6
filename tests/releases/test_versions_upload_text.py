"""VER-1: the version number and note of an upload are printable text. A version number is
one line of printable characters without markup; a note may hold line breaks and tabs but
no other control character. Every surface that uploads (the service the console calls,
/wxa/commit, the signed upload of the command line) refuses the rest with a clear error
before anything is stored; NUL above all, which PostgreSQL cannot store in text."""

from __future__ import annotations

import hashlib
import io
import json
import time
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from miniport.core.errors import PlatformError
from miniport.miniprograms.services import upload_keys as keys
from miniport.releases.errors import ReleaseError
from miniport.releases.models import CodePackage, DevVersion
from tests.openapi.code_api_support import (
    add_template,
    code_fixture,  # noqa: F401 - the "code" fixture
    upload_draft,
)
from tests.openapi.conftest import wire  # noqa: F401 - the "wire" fixture
from tests.releases.version_support import (  # noqa: F401 - the "app" fixture
    app_fixture,
    package_bytes,
    refused,
    snapshot,
    upload,
)

pytestmark = pytest.mark.django_db
UPLOAD_URL = "/cgi-bin/miniport/upload"


def assert_plain(message: str) -> None:
    """A message a person reads: no Python repr, no exception text, no raw control byte."""
    for python in ("\\x", "{'", "Traceback", "Error:", "sys."):
        assert python not in message, message
    assert not any(ord(char) < 32 for char in message), message


# --- the service (the console, the server API and the command line all call it) ---------


@pytest.mark.parametrize(
    ("version", "named"),
    [
        ("1.0\x00", "U+0000"),
        ("1.0\x01.2", "U+0001"),
        ("1.0\t2", "U+0009"),
        ("1.0\n2", "U+000A"),
        ("1.0\x1b[31m", "U+001B"),
        ("1.0\x85", "U+0085"),
        ("1.0\u202e", "U+202E"),
        ("1.0\u200b", "U+200B"),
        ("1.0\ud800", "U+D800"),
        ("<script>alert(1)</script>", "U+003C"),
        ("1.0 > 0.9", "U+003E"),
    ],
    ids=[
        "nul",
        "soh",
        "tab",
        "line-break",
        "escape",
        "next-line",
        "right-to-left-override",
        "zero-width-space",
        "lone-surrogate",
        "script-tag",
        "greater-than",
    ],
)
def test_a_version_number_that_is_not_printable_text_is_refused_and_nothing_is_stored(
    app, version, named
):
    """VER-1: a control, format or surrogate character, or markup, in the version number
    is refused naming the character and its position; nothing is stored."""
    data = package_bytes("text")
    error = refused(lambda: upload(app, version, data=data), ReleaseError.USER_VERSION_INVALID)
    assert error.field == "user_version" and error.errcode == 40097
    english, chinese = error.message("en"), error.message("zh-hans")
    assert named in english and named in chinese
    assert "invalid version number" in english and "版本号不合法" in chinese
    assert_plain(english)
    assert_plain(chinese)


@pytest.mark.parametrize(
    ("version", "stored"),
    [
        ("1.0.0", "1.0.0"),
        ("v2.1.0-rc.1+build.5", "v2.1.0-rc.1+build.5"),
        ("测试版 1.0", "测试版 1.0"),
        ("  3.0   beta \n", "3.0 beta"),
        ("100% & more", "100% & more"),
    ],
)
def test_a_printable_version_number_is_accepted_its_blanks_tidied(app, version, stored):
    """VER-1: WeChat's version number is free text: any printable characters, trimmed, its
    inner runs of spaces made single."""
    assert upload(app, version).user_version == stored


def test_the_length_policy_of_the_version_number_is_unchanged(app):
    """VER-1: at most `version.max_user_version_chars` (64) characters, as before."""
    assert upload(app, "9" * 64).user_version == "9" * 64
    with pytest.raises(PlatformError) as caught:
        upload(app, "9" * 65)
    assert caught.value.field == "user_version"


def test_a_note_may_hold_line_breaks_tabs_and_emoji(app):
    """VER-1: a note is free text over several lines; emoji sequences joined by U+200D stay."""
    note = "修复首页\n- 列表\tok\r\n👨\u200d👩\u200d👧 family"
    assert upload(app, "1.0.0", user_desc=note).user_desc == note


@pytest.mark.parametrize(
    ("note", "named"),
    [("note\x00", "U+0000"), ("\x1b[31mred", "U+001B"), ("a\u202eb", "U+202E")],
    ids=["nul", "escape", "right-to-left-override"],
)
def test_a_note_with_a_control_character_is_refused_and_nothing_is_stored(app, note, named):
    """VER-1: a note with NUL or another control character (not a line break or a tab) is
    refused naming it; nothing is stored."""
    error = refused(lambda: upload(app, "1.0.0", user_desc=note), ReleaseError.USER_DESC_INVALID)
    assert error.field == "user_desc" and error.errcode == 40097
    assert named in error.message("en") and named in error.message("zh-hans")
    assert "line breaks and tabs are fine" in error.message("en")
    assert_plain(error.message("en"))


def test_a_nul_is_refused_before_any_insert_so_postgresql_never_sees_it(app):
    """VER-1: PostgreSQL cannot store NUL in text (it would fail the request): the refusal
    comes before any statement writes, on either database, and nothing is stored."""
    before = snapshot()
    with CaptureQueriesContext(connection) as queries, pytest.raises(PlatformError) as caught:
        upload(app, "1.0\x00", user_desc="note\x00")
    assert caught.value.code is ReleaseError.USER_VERSION_INVALID
    writes = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert snapshot() == before
    assert not DevVersion.objects.exists() and not CodePackage.objects.exists()


# --- /wxa/commit (the server API) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("user_version", "2.0\u0001", "U+0001"),
        ("user_version", "<script>alert(1)</script>", "U+003C"),
        ("user_desc", "commit\u001b[0m", "U+001B"),
    ],
)
def test_commit_refuses_a_version_or_note_that_is_not_printable_with_40097(
    code, field, value, named
):
    """VER-1 (wechat-api 4.1): /wxa/commit answers 40097 invalid args naming the field and
    the character; no version is stored and the experience version is not set."""
    template_id = add_template(code, upload_draft(code, "1.0.0"))
    before = snapshot()
    body = {
        "template_id": template_id,
        "ext_json": json.dumps({"ext": {"shop": 7}}),
        "user_version": "2.0.0",
        "user_desc": "commit 2.0.0",
        field: value,
    }
    answer = code.post("/wxa/commit", body)
    assert answer["errcode"] == 40097, answer
    assert field in answer["errmsg"] and named in answer["errmsg"]
    assert_plain(answer["errmsg"])
    assert snapshot() == before


@pytest.mark.parametrize("field", ["user_version", "user_desc"])
def test_commit_with_a_nul_is_refused_and_stores_nothing(code, field):
    """VER-1: a NUL in /wxa/commit's body is refused (the wire's 47001 data format error,
    before the service); nothing is stored."""
    template_id = add_template(code, upload_draft(code, "1.0.0"))
    before = snapshot()
    body = {
        "template_id": template_id,
        "ext_json": "{}",
        "user_version": "2.0.0",
        "user_desc": "commit",
        field: "2.0\u0000",
    }
    answer = code.post("/wxa/commit", body)
    assert answer["errcode"] in (40097, 47001), answer
    assert_plain(answer["errmsg"])
    assert snapshot() == before


# --- the signed upload of the command line (POST /cgi-bin/miniport/upload) ---------------


@pytest.fixture
def signed(provision):
    mp = provision("enterprise", certified=True).miniprogram
    _key, pem = keys.upload_key_create(actor=keys.Actor.system("tests"), miniprogram=mp, name="ci")
    return mp, pem.encode()


def _headers(mp, pem, data, *, version, desc, sent_version=None, sent_desc=None):
    """Signed headers of an upload: the signature covers `version` and `desc`; the headers
    carry `sent_version` / `sent_desc` as given, else the percent-encoded values."""
    timestamp = int(time.time())
    message = keys.upload_message(
        appid=mp.appid,
        version=version,
        timestamp=timestamp,
        package_sha256=hashlib.sha256(data).hexdigest(),
        desc=desc,
    )
    return {
        "HTTP_X_MINIPORT_APPID": mp.appid,
        "HTTP_X_MINIPORT_VERSION": sent_version or quote(version, safe=""),
        "HTTP_X_MINIPORT_DESC": sent_desc or quote(desc, safe=""),
        "HTTP_X_MINIPORT_KEY": keys.private_key_fingerprint(pem),
        "HTTP_X_MINIPORT_TIMESTAMP": str(timestamp),
        "HTTP_X_MINIPORT_SIGNATURE": keys.sign_upload(pem, message),
    }


def _post(client, mp, pem, **headers) -> dict:
    data = package_bytes("cli")
    return client.post(
        UPLOAD_URL,
        data=data,
        content_type="application/zip",
        **_headers(mp, pem, data, **headers),
    ).json()


def test_a_signed_upload_of_a_percent_encoded_nul_is_refused_and_nothing_is_stored(client, signed):
    """VER-1, B-10: `X-Miniport-Version: 1.0%00`, correctly signed, decodes to a version
    number with NUL: 40097 naming U+0000, nothing stored (no error 500 on PostgreSQL)."""
    mp, pem = signed
    before = snapshot()
    answer = _post(client, mp, pem, version="1.0\x00", desc="note", sent_version="1.0%00")
    assert answer["errcode"] == 40097, answer
    assert "invalid version number" in answer["errmsg"] and "U+0000" in answer["errmsg"]
    assert_plain(answer["errmsg"])
    assert snapshot() == before


@pytest.mark.parametrize(
    ("header", "sent", "said"),
    [
        ("X-Miniport-Version", "%ZZ", "'%' at character 1"),
        ("X-Miniport-Version", "1.0%2", "'%' at character 4"),
        ("X-Miniport-Version", "1.0%FF", "not UTF-8"),
        ("X-Miniport-Version", "1.0\u00e9", "not percent-encoded"),
        ("X-Miniport-Desc", "50%off", "'%' at character 3"),
    ],
    ids=["bad-escape", "cut-escape", "not-utf8", "raw-latin1", "desc"],
)
def test_a_header_that_is_not_valid_percent_encoding_is_refused_naming_the_header(
    client, signed, header, sent, said
):
    """B-10: the version and note headers are percent-encoded UTF-8; a value that does not
    decode is refused naming the header and the fault, never kept as sent; nothing stored."""
    mp, pem = signed
    before = snapshot()
    sent_as = {"sent_version" if header == "X-Miniport-Version" else "sent_desc": sent}
    answer = _post(client, mp, pem, version=sent, desc=sent, **sent_as)
    assert answer["errcode"] == 40097, answer
    assert f"the header {header} is not valid percent-encoded UTF-8" in answer["errmsg"]
    assert said in answer["errmsg"]
    assert_plain(answer["errmsg"])
    assert snapshot() == before


def test_a_percent_sign_sent_encoded_is_kept(client, signed):
    """B-10: a literal '%' travels as %25 and is stored as '%'."""
    mp, pem = signed
    answer = _post(client, mp, pem, version="1.0 100%", desc="50% 折扣\n第二行")
    assert answer["errcode"] == 0, answer
    version = DevVersion.objects.get()
    assert (version.user_version, version.user_desc) == ("1.0 100%", "50% 折扣\n第二行")


# --- the console's upload form ---------------------------------------------------------------


def test_the_console_shows_a_control_character_refusal_next_to_the_version_field(app):
    """VER-1: the console's upload form shows the refusal on the version number's field."""
    from django.test import Client
    from django.urls import reverse

    from tests.miniprograms.conftest import console_login

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert console_login(client, app.developer).status_code == 302
    before = snapshot()
    archive = io.BytesIO(package_bytes("console"))
    archive.name = "code.zip"
    response = client.post(
        reverse("console:versions_upload"),
        {"archive": archive, "user_version": "1.0\x01", "user_desc": "note"},
    )
    assert response.status_code == 400
    errors = response.content.decode().split('data-testid="error-user_version"', 1)[1]
    assert "character 4 is U+0001, which a version number may not hold" in errors[:1000]
    assert snapshot() == before
