"""The OpenAPI 3.1 document of the JSON surfaces, generated from the route registry.

Every answer is HTTP 200, so each operation documents one 200 response that is either
its success body or the error body `{"errcode", "errmsg"}`. Schemas come from the
routes' pydantic models.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from miniport.web import api

REF = "#/components/schemas/{model}"


class ErrorBody(BaseModel):
    """A refusal: WeChat's errcode and an English message ending in a request id."""

    errcode: int
    errmsg: str


class OkBody(BaseModel):
    errcode: int
    errmsg: str


SECURITY_SCHEMES = {
    "access_token": {
        "type": "apiKey",
        "in": "query",
        "name": "access_token",
        "description": "The app's access_token from /cgi-bin/token or /cgi-bin/stable_token.",
    },
    "host_app": {
        "type": "apiKey",
        "in": "header",
        "name": "X-Host-App",
        "description": 'The host app\'s credential, "<host id>:<host secret>".',
    },
    "identity_session": {
        "type": "apiKey",
        "in": "header",
        "name": "X-Identity-Session",
        "description": "The identity session from POST /runtime/v1/session.",
    },
}
AUTH_SECURITY: dict[str, list[dict[str, list[str]]]] = {
    "none": [],
    "access_token": [{"access_token": []}],
    "host": [{"host_app": []}],
    "host_session": [{"host_app": [], "identity_session": []}],
}


Mode = Literal["validation", "serialization"]


def _models(routes: list[api.Route]) -> list[tuple[type[BaseModel], Mode]]:
    seen: dict[type[BaseModel], Mode] = {ErrorBody: "serialization", OkBody: "serialization"}
    for route in routes:
        for model in (route.query, route.body):
            if model is not None:
                seen.setdefault(model, "validation")
        if route.response is not None:
            seen.setdefault(route.response, "serialization")
    return list(seen.items())


def _query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    properties = model.model_json_schema().get("properties", {})
    parameters = []
    for name, info in model.model_fields.items():
        schema = dict(properties.get(name, {"type": "string"}))
        schema.pop("title", None)
        parameters.append(
            {"name": name, "in": "query", "required": info.is_required(), "schema": schema}
        )
    return parameters


def _operation(route: api.Route, method: str, refs: dict) -> dict[str, Any]:
    success = route.response or (OkBody if route.envelope else None)
    if route.path in HTML_PATHS:
        content: dict[str, Any] = {"text/html": {"schema": {"type": "string"}}}
    elif success is None:
        content = {"application/json": {"schema": {"type": "object"}}}
    else:
        # anyOf: a success body with errcode 0 has the error body's shape too.
        content = {"application/json": {"schema": {"anyOf": [refs[success], refs[ErrorBody]]}}}
    operation: dict[str, Any] = {
        "operationId": route.handler.__name__,
        "summary": route.summary,
        "tags": list(route.tags) or [route.surface],
        "responses": {"200": {"description": "Success body or errcode/errmsg", "content": content}},
    }
    if route.description and route.description != route.summary:
        operation["description"] = route.description
    # Other surfaces may add authenticators; undocumented ones are listed as open.
    operation["security"] = AUTH_SECURITY.get(route.auth, [])
    if route.query is not None:
        operation["parameters"] = _query_parameters(route.query)
    if route.body is not None and method == "POST":
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": refs[route.body]}},
        }
    return operation


# Routes answering HTML rather than JSON (the docs page).
HTML_PATHS = {"/openapi/"}


def build() -> dict[str, Any]:
    api.discover()
    routes = sorted(api.ROUTES.values(), key=lambda r: r.path)
    keys = _models(routes)
    mapping, definitions = models_json_schema(list(keys), ref_template=REF)
    refs = {model: mapping[(model, mode)] for model, mode in keys}
    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        paths[route.path] = {
            method.lower(): _operation(route, method, refs) for method in route.methods
        }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Miniport server API",
            "version": "1",
            "description": (
                "WeChat-compatible mini program server API and the host-app runtime. "
                'Every answer is HTTP 200; refusals are {"errcode", "errmsg"}.'
            ),
        },
        "paths": paths,
        "components": {
            "schemas": definitions.get("$defs", {}),
            "securitySchemes": SECURITY_SCHEMES,
        },
    }
