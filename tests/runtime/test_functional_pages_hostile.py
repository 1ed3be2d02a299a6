# ruff: noqa: F811 - the plugin makers are fixtures imported by name
"""FP-9, FP-11 met by a stranger: navigate and preview answer every wrong type, size and
shape of input with a documented errcode (never -1, never a 500) and store nothing."""

from __future__ import annotations

import json

import pytest

from miniport.core.models import AuditEntry
from miniport.miniprograms.models import LoginCode
from miniport.runtime import auth
from tests.plugins.functional.support import (
    body,
    grant_payment,
    make_scene,
    owner_order,
    release_owner,
)
from tests.plugins.makers import make_owner, make_plugin  # noqa: F401
from tests.runtime.conftest import HOST_ID

pytestmark = pytest.mark.django_db

ODD = [None, 0, -1, 10**30, 1.5, True, [], ["x"], {}, {"a": 1}, "x" * 100_000, "𝕏\u202e"]


@pytest.fixture
def scene(make_plugin, provision, make_identity):
    return make_scene(make_plugin, provision, make_identity)


@pytest.fixture
def host(runtime, scene):
    runtime.session = auth.session_issue(scene.person, HOST_ID)
    return runtime


def _stored():
    return LoginCode.objects.count(), AuditEntry.objects.filter(
        action__startswith="functional."
    ).count()


def _documented(answer: dict) -> None:
    assert answer.get("errcode") not in (-1, None), answer


@pytest.mark.parametrize(
    "field", ["appid", "plugin_appid", "name", "version", "args", "lib_version"]
)
@pytest.mark.parametrize("value", ODD, ids=range(len(ODD)))
def test_fp11_wrong_types_in_navigate_answer_an_errcode(host, scene, field, value):
    release_owner(scene.owner)
    data = body(scene, args={"paymentArgs": {}})
    data[field] = value
    before = _stored()
    answer = host.call("POST", "functional-pages/navigate", data)
    assert "errcode" in answer and answer["errcode"] != -1, answer
    if answer["errcode"] != 0:
        assert _stored() == before


@pytest.mark.parametrize(
    "args",
    [
        '{"paymentArgs": ' + "[" * 900 + "]" * 900 + "}",
        {"paymentArgs": "x" * 2_000_000},
        "[" * 100_000,
        "{" * 100_000,
        '"a string"',
        "[1]",
        "null",
    ],
    ids=[
        "deep-text",
        "huge",
        "open-arrays",
        "open-objects",
        "json-string",
        "json-array",
        "json-null",
    ],
)
def test_fp9_hostile_payment_args_answer_an_errcode(host, scene, args):
    """Deep nesting as text (args may be a JSON string) and as the body itself."""
    release_owner(scene.owner)
    grant_payment(scene.owner)
    owner_order(scene.owner, scene.person)
    answer = host.call(
        "POST", "functional-pages/navigate", body(scene, name="requestPayment", args=args)
    )
    _documented(answer)


@pytest.mark.parametrize("depth", [900, 5000, 100_000])
def test_fp9_a_body_nested_deeper_than_python_reads_answers_an_errcode(host, scene, depth):
    release_owner(scene.owner)
    grant_payment(scene.owner)
    data = json.dumps(body(scene, name="requestPayment", args={"paymentArgs": "@"}))
    raw = data.replace('"@"', "[" * depth + "]" * depth).encode()
    response = host.client.generic(
        "POST",
        "/runtime/v1/functional-pages/navigate",
        data=raw,
        content_type="",
        HTTP_X_HOST_APP=host.host,
        HTTP_X_IDENTITY_SESSION=host.session,
    )
    assert response.status_code == 200
    _documented(json.loads(response.content))


@pytest.mark.parametrize(
    "script",
    [
        "exports.beforeRequestPayment = function (a, cb) { cb('\\ud800 broken'); };",
        "exports.beforeRequestPayment = function (a, cb) { cb({errMsg: '<script>alert(1)</script>'}); };",
        "exports.beforeRequestPayment = function (a, cb) { cb(null, {package: 'prepay_id=\\ud800'}); };",
    ],
    ids=["lone-surrogate", "markup", "lone-surrogate-args"],
)
def test_fp9_odd_callback_texts_answer_an_errcode(host, scene, script):
    release_owner(scene.owner, script=script)
    grant_payment(scene.owner)
    owner_order(scene.owner, scene.person)
    answer = host.call(
        "POST",
        "functional-pages/navigate",
        body(scene, name="requestPayment", args={"paymentArgs": {}}),
    )
    _documented(answer)


@pytest.mark.parametrize("value", ODD, ids=range(len(ODD)))
def test_fp7_wrong_types_in_preview_answer_an_errcode(host, value):
    _documented(host.call("POST", "functional-pages/preview", {"appid": value}))


@pytest.mark.parametrize("raw", [b"[]", b"null", b"1", b"not json", b"{", b"\xff"])
@pytest.mark.parametrize("path", ["functional-pages/navigate", "functional-pages/preview"])
def test_fp11_bodies_that_are_not_an_object_answer_an_errcode(host, path, raw):
    response = host.client.generic(
        "POST",
        f"/runtime/v1/{path}",
        data=raw,
        content_type="",
        HTTP_X_HOST_APP=host.host,
        HTTP_X_IDENTITY_SESSION=host.session,
    )
    assert response.status_code == 200
    _documented(json.loads(response.content))


@pytest.mark.parametrize("value", ["", "x", "x" * 5000, "wx" + "0" * 16, "%00", "𝕏"])
def test_b_plugin_develop_odd_plugin_appids_answer_an_errcode(host, value):
    response = host.client.get(
        "/runtime/v1/plugins/develop",
        {"plugin_appid": value},
        HTTP_X_HOST_APP=host.host,
        HTTP_X_IDENTITY_SESSION=host.session,
    )
    assert response.status_code == 200, response.content[:300]
    if response["Content-Type"].startswith("application/json"):
        _documented(json.loads(response.content))
