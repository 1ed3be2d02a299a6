"""B-10, VER-1: POST /cgi-bin/miniport/upload, a code upload signed with an upload key.
Raw and multipart bodies; the body is bounded before anything is read into storage;
every refusal is an errcode with nothing stored (the command line's own test drives a
live server: tests/cli/test_upload_command.py)."""

from __future__ import annotations

import hashlib
import json
import time
from urllib.parse import quote

import pytest

from miniport.core import policy
from miniport.core.models import PolicyOverride
from miniport.miniprograms.services import upload_keys as keys
from miniport.releases.models import CodePackage, DevVersion
from tests.miniprograms.devsettings_support import set_ip_whitelist
from tests.releases.zips import package

pytestmark = pytest.mark.django_db
URL = "/cgi-bin/miniport/upload"


@pytest.fixture
def app(provision):
    provisioned = provision("enterprise", certified=True)
    mp = provisioned.miniprogram
    key, pem = keys.upload_key_create(actor=keys.Actor.system("tests"), miniprogram=mp, name="ci")
    return mp, key, pem.encode()


def _headers(mp, pem, data: bytes, *, version="1.2.3", desc="第一版 release", when=None):
    timestamp = int(when if when is not None else time.time())
    sha = hashlib.sha256(data).hexdigest()
    message = keys.upload_message(
        appid=mp.appid, version=version, timestamp=timestamp, package_sha256=sha, desc=desc
    )
    return {
        "HTTP_X_MINIPORT_APPID": mp.appid,
        "HTTP_X_MINIPORT_VERSION": quote(version, safe=""),
        "HTTP_X_MINIPORT_DESC": quote(desc, safe=""),
        "HTTP_X_MINIPORT_KEY": keys.private_key_fingerprint(pem),
        "HTTP_X_MINIPORT_TIMESTAMP": str(timestamp),
        "HTTP_X_MINIPORT_SIGNATURE": keys.sign_upload(pem, message),
    }


def _stored() -> tuple[int, int]:
    return DevVersion.objects.count(), CodePackage.objects.count()


def test_a_signed_raw_upload_makes_a_development_version(client, app):
    """VER-1, B-10: the zip as the body, the signed headers; source "cli"."""
    mp, key, pem = app
    data = package()
    answer = client.post(
        URL, data=data, content_type="application/zip", **_headers(mp, pem, data)
    ).json()
    assert answer["errcode"] == 0, answer
    assert (answer["appid"], answer["version"], answer["desc"]) == (
        mp.appid,
        "1.2.3",
        "第一版 release",
    )
    assert answer["sha256"] == hashlib.sha256(data).hexdigest() and answer["size"] == len(data)
    version = DevVersion.objects.get()
    assert version.source == "cli" and version.developer_identity is None
    assert version.miniprogram == mp and "ci" in version.developer_label


def test_a_multipart_upload_with_form_fields_is_accepted(client, app):
    """B-10: multipart/form-data with the zip in `package` and the fields by name."""
    mp, _key, pem = app
    data = package()
    signed = _headers(mp, pem, data, version="2.0.0", desc="多部分")
    fields = {
        name.removeprefix("HTTP_X_MINIPORT_").lower(): value for name, value in signed.items()
    }
    fields["version"], fields["desc"] = "2.0.0", "多部分"
    from django.core.files.uploadedfile import SimpleUploadedFile

    fields["package"] = SimpleUploadedFile("code.zip", data, content_type="application/zip")
    answer = client.post(URL, data=fields).json()
    assert answer["errcode"] == 0, answer
    assert answer["version"] == "2.0.0" and answer["desc"] == "多部分"


def test_a_body_over_the_bound_is_refused_with_45002_before_anything_is_stored(client, app):
    """B-10: package.max_total_bytes + dev.upload_body_margin_bytes bounds the raw body."""
    mp, _key, pem = app
    PolicyOverride.objects.create(key="package.max_total_bytes", value=1000)
    PolicyOverride.objects.create(key="dev.upload_body_margin_bytes", value=0)
    policy.forget_cached()
    data = package() + b"\0" * 1000
    answer = client.post(
        URL, data=data, content_type="application/zip", **_headers(mp, pem, data)
    ).json()
    assert answer["errcode"] == 45002
    assert _stored() == (0, 0)


def test_a_body_longer_than_declared_bound_is_cut_off_while_reading(app, rf):
    """B-10: a body that lies about its length is still not read past the bound."""
    from miniport.openapi import upload_api

    PolicyOverride.objects.create(key="package.max_total_bytes", value=100)
    PolicyOverride.objects.create(key="dev.upload_body_margin_bytes", value=0)
    policy.forget_cached()
    request = rf.post(URL, data=b"x" * 10_000, content_type="application/zip")
    request.META["CONTENT_LENGTH"] = "50"  # says little, sends more

    class Read:
        def __init__(self):
            self.total = 0

        def __call__(self, n=-1):
            chunk = b"x" * (n if n > 0 else 10_000)
            self.total += len(chunk)
            return chunk  # an endless body

    reader = Read()
    request.read = reader  # type: ignore[method-assign]
    from miniport.web.api import ROUTES, run

    answer = json.loads(run(request, ROUTES[URL]).content)
    assert answer["errcode"] == 45002
    assert reader.total <= upload_api.body_limit() + upload_api.CHUNK_BYTES


def test_a_wrong_signature_is_refused_and_nothing_is_stored(client, app):
    """B-10: the signature covers the body's hash: another body does not verify."""
    mp, _key, pem = app
    data = package()
    headers = _headers(mp, pem, data)
    other = package(pages=("pages/home/home",))
    answer = client.post(URL, data=other, content_type="application/zip", **headers).json()
    assert answer["errcode"] != 0 and "signature" in answer["errmsg"]
    assert _stored() == (0, 0)


def test_an_address_outside_the_whitelist_is_refused_with_40164(client, app):
    """B-10: the IP whitelist applies to upload keys."""
    mp, _key, pem = app
    set_ip_whitelist(mp, ["198.51.100.0/24"])
    data = package()
    answer = client.post(
        URL, data=data, content_type="application/zip", **_headers(mp, pem, data)
    ).json()
    assert answer["errcode"] == 40164
    assert _stored() == (0, 0)
    inside = client.post(
        URL,
        data=data,
        content_type="application/zip",
        REMOTE_ADDR="198.51.100.20",
        **_headers(mp, pem, data, version="1.0.1"),
    ).json()
    assert inside["errcode"] == 0, inside


def test_a_stale_timestamp_is_refused(client, app):
    """B-10: replay window (dev.upload_signature_window_seconds)."""
    mp, _key, pem = app
    data = package()
    headers = _headers(mp, pem, data, when=time.time() - 3600)
    answer = client.post(URL, data=data, content_type="application/zip", **headers).json()
    assert answer["errcode"] != 0 and "timestamp" in answer["errmsg"]
    assert _stored() == (0, 0)


def test_an_invalid_package_is_refused_by_validation_and_nothing_is_stored(client, app):
    """VER-1: the package is validated before anything is stored."""
    mp, _key, pem = app
    data = b"this is not a zip"
    answer = client.post(
        URL, data=data, content_type="application/zip", **_headers(mp, pem, data)
    ).json()
    assert answer["errcode"] != 0 and "zip" in answer["errmsg"]
    assert _stored() == (0, 0)


@pytest.mark.parametrize("body", [b"", None])
def test_an_empty_or_unsigned_request_is_refused_without_a_crash(client, app, body):
    """B-10: bad input never gives a 500."""
    if body is None:
        response = client.post(URL, data=package(), content_type="application/zip")
    else:
        response = client.post(URL, data=body, content_type="application/zip")
    assert response.status_code == 200 and response.json()["errcode"] != 0
    assert _stored() == (0, 0)
