"""B-2: requests generated from the served OpenAPI document never meet an unhandled error.

Schemathesis reads /openapi.json from the application itself and, for every documented
operation, sends requests that hypothesis builds from the schemas: wrong types, empty
and huge strings, unknown fields, missing bodies. The caller holds a real access_token,
host credential and identity session, so the generated input reaches the handlers and
the services behind them, not only the authentication. Whatever comes in, the answer is
HTTP 200 with a documented errcode or the success body, never the catch-all system error
(-1) that `openapi.base.run` gives when a handler raised something unexpected, and the
body conforms to the document's schema for that operation.
"""

from __future__ import annotations

import json
import logging

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import response_schema_conformance

from miniport.wsgi import application

HOST_ID = "fuzzhost"
HOST_SECRET = "fuzz-host-secret-0123456789"
PASSWORD = "fuzz-pass-1"

schema = schemathesis.openapi.from_wsgi("/openapi.json", application)
# One test per documented operation, parametrized here rather than by
# schema.parametrize(), whose items pytest-xdist does not run one by one.
OPERATIONS = sorted(
    (result.ok().path, result.ok().method.upper()) for result in schema.get_all_operations()
)


@pytest.fixture
def wsgi_within_the_test_transaction(caller):
    """Schemathesis calls the WSGI application itself; like Django's test client, keep
    the request signals from closing the connection that holds the test's transaction
    (after `caller`, whose test-client calls connect them again)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def caller(db, settings, client, provision, make_identity):
    """Real credentials for every security scheme of the document."""
    from miniport.core import quotas
    from miniport.miniprograms.services import credential_sql

    quotas.forget_leases()
    credential_sql.forget_remembered()
    settings.RUNTIME_HOST_APPS = {HOST_ID: HOST_SECRET}
    app = provision("enterprise", certified=True)
    token = json.loads(
        client.post(
            "/cgi-bin/stable_token",
            data=json.dumps(
                {
                    "grant_type": "client_credential",
                    "appid": app.miniprogram.appid,
                    "secret": app.secret,
                }
            ),
            content_type="application/json",
        ).content
    )["access_token"]
    identity = make_identity("fuzz_identity", password=PASSWORD)
    session = json.loads(
        client.post(
            "/runtime/v1/session",
            data=json.dumps({"wechat_id": identity.wechat_id, "password": PASSWORD}),
            content_type="application/json",
            HTTP_X_HOST_APP=f"{HOST_ID}:{HOST_SECRET}",
        ).content
    )["session"]
    yield {"app": app, "token": token, "session": session}
    quotas.forget_leases()
    credential_sql.forget_remembered()


def _uses(case, scheme: str) -> bool:
    return any(
        scheme in requirement for requirement in case.operation.definition.raw.get("security", [])
    )


@pytest.mark.parametrize(("path", "method"), OPERATIONS, ids=[f"{m} {p}" for p, m in OPERATIONS])
def test_no_generated_request_meets_an_unhandled_error(
    path, method, caller, wsgi_within_the_test_transaction, caplog
):
    @settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(case=schema[path][method].as_strategy())
    def answer_is_documented(case):
        check_one(case, caller, caplog)

    answer_is_documented()


def check_one(case, caller, caplog) -> None:
    caplog.clear()
    headers = {"X-Host-App": f"{HOST_ID}:{HOST_SECRET}", "X-Identity-Session": caller["session"]}
    if _uses(case, "access_token"):
        case.query = {**(case.query or {}), "access_token": caller["token"]}
    if isinstance(case.body, dict) and "appid" in case.body:
        # The app's own AppID takes the generated input past the AppID lookup.
        case.body["appid"] = caller["app"].miniprogram.appid
    with caplog.at_level(logging.ERROR):
        response = case.call(headers=headers)
    assert response.status_code == 200, (case.method, case.path, response.text[:300])
    content_type = response.headers.get("content-type") or [""]
    if isinstance(content_type, list):
        content_type = content_type[0]
    if content_type.startswith("application/json"):
        body = response.json()
        assert body.get("errcode") != -1, (case.method, case.path, case.body, body)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], (case.method, case.path)
    # ... and the answer is what the document says: the success body or the error body.
    case.validate_response(response, checks=[response_schema_conformance])
