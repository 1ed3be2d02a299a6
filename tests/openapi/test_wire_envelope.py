"""The openapi surface's wire rules: HTTP 200 with errcode/errmsg for every refusal,
JSON read whatever the Content-Type, 43001/43002 for a wrong method, 44002 for an empty
body, 47001 for one that is not a JSON object (wechat-api 1.1)."""

from __future__ import annotations

import json
import re

import pytest
from django.test import RequestFactory

from miniport.miniprograms.models import DevSettings
from miniport.web import api
from tests.openapi.wire import credential_state

RID = re.compile(r" rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$")


def test_a_post_endpoint_called_with_get_answers_43002_and_changes_nothing(wire, app):
    before = credential_state()
    result = wire.get(
        "/cgi-bin/stable_token",
        grant_type="client_credential",
        appid=app.miniprogram.appid,
        secret=app.secret,
    )
    assert result["errcode"] == 43002
    assert credential_state() == before


def test_a_get_endpoint_called_with_post_answers_43001_and_changes_nothing(wire, app):
    before = credential_state()
    result = wire.post(
        "/cgi-bin/token?grant_type=client_credential&appid="
        + app.miniprogram.appid
        + "&secret="
        + app.secret,
        {},
    )
    assert result["errcode"] == 43001
    assert credential_state() == before


def test_an_empty_body_answers_44002_and_changes_nothing(wire, app):
    token = wire.token(app)
    before = credential_state()
    assert wire.post_raw("/wxa/modify_domain", b"", access_token=token)["errcode"] == 44002
    assert wire.post_raw("/wxa/modify_domain", b"  \n", access_token=token)["errcode"] == 44002
    assert credential_state() == before


@pytest.mark.parametrize(
    "raw", [b"{not json", b'{"action": "add",', b"\xff\xfe", b'"a string"', b"[1, 2]"]
)
def test_a_body_that_is_not_a_json_object_answers_47001_and_changes_nothing(wire, app, raw):
    token = wire.token(app)
    before = credential_state()
    assert wire.post_raw("/wxa/modify_domain", raw, access_token=token)["errcode"] == 47001
    assert credential_state() == before
    assert (
        not DevSettings.objects.filter(miniprogram=app.miniprogram)
        .exclude(domains__requestdomain=[])
        .exists()
    )


def test_a_field_of_the_wrong_type_answers_47001(wire, app):
    token = wire.token(app)
    result = wire.post(
        "/wxa/modify_domain", {"action": "add", "requestdomain": {"a": 1}}, access_token=token
    )
    assert result["errcode"] == 47001


@pytest.mark.parametrize(
    "content_type", ["", "text/plain", "application/x-www-form-urlencoded", "application/json"]
)
def test_a_json_body_is_read_whatever_the_content_type(wire, app, content_type):
    body = {"grant_type": "client_credential", "appid": app.miniprogram.appid, "secret": app.secret}
    result = wire.post_raw(
        "/cgi-bin/stable_token", json.dumps(body).encode(), content_type=content_type
    )
    assert set(result) == {"access_token", "expires_in"}


def test_refusals_are_http_200_json_with_errcode_and_a_request_id(client):
    response = client.get("/wxa/modify_domain")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert set(body) == {"errcode", "errmsg"}
    assert body["errcode"] == 43002
    assert body["errmsg"].startswith("require POST method")
    assert RID.search(body["errmsg"])


def test_success_bodies_of_management_endpoints_carry_errcode_zero(wire, app):
    token = wire.token(app)
    result = wire.post("/wxa/modify_domain", {"action": "get"}, access_token=token)
    assert result["errcode"] == 0 and result["errmsg"] == "ok"


def test_an_unexpected_failure_answers_system_error_without_a_traceback(db):
    def broken(call):
        raise RuntimeError("boom")

    route = api.Route(
        path="/wxa/broken",
        methods=("GET",),
        handler=broken,
        surface="openapi",
        auth="none",
        permission=None,
        query=None,
        body=None,
        response=None,
        envelope=True,
        summary="",
        description="",
        tags=(),
    )
    response = api.run(RequestFactory().get("/wxa/broken"), route)
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["errcode"] == -1
    assert "boom" not in body["errmsg"] and "Traceback" not in response.content.decode()


def test_a_path_cannot_be_registered_twice_by_different_handlers():
    def first(call):
        return {}

    def second(call):
        return {}

    path = "/wxa/registered_twice_for_test"
    try:
        api.get(path, auth="none")(first)
        with pytest.raises(ValueError, match="already registered"):
            api.get(path, auth="none")(second)
    finally:
        api.ROUTES.pop(path, None)


def test_a_route_naming_an_unknown_permission_fails_at_import():
    with pytest.raises(ValueError, match="unknown permission"):
        api.post("/wxa/unknown_permission_for_test", permission="no.such.action")
