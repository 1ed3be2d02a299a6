"""The OpenAPI document is generated from the one route registry: every route served by
the openapi and runtime url modules is in it, and nothing else."""

from __future__ import annotations

import json

from django.urls import URLPattern, URLResolver, get_resolver

from miniport.web import api

METHODS = {"get", "head", "post", "put", "patch", "delete"}


def served_paths() -> set[str]:
    """Paths of every url pattern under the openapi and runtime includes."""
    found: set[str] = set()

    def walk(patterns, prefix: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                found.add("/" + prefix + str(entry.pattern))

    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace in {"openapi", "runtime"}:
            walk(entry.url_patterns, str(entry.pattern))
    return found


def document(client) -> dict:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_every_served_route_is_in_the_document_and_nothing_else(client):
    doc = document(client)
    assert served_paths() == set(doc["paths"])
    for path, operations in doc["paths"].items():
        route = api.ROUTES[path]
        assert {m for m in operations if m in METHODS} == {m.lower() for m in route.methods}


def test_the_wechat_paths_are_documented(client):
    paths = document(client)["paths"]
    for path in (
        "/cgi-bin/token",
        "/cgi-bin/stable_token",
        "/sns/jscode2session",
        "/wxa/modify_domain",
        "/wxa/setwebviewdomain",
        "/runtime/v1/login",
        "/runtime/v1/session",
        "/runtime/v1/ping",
    ):
        assert path in paths, path
    assert "get" in paths["/cgi-bin/token"] and "post" in paths["/cgi-bin/stable_token"]


def test_every_schema_reference_resolves(client):
    doc = document(client)
    schemas = doc["components"]["schemas"]
    text = json.dumps(doc)
    prefix = '"#/components/schemas/'
    start = 0
    while (at := text.find(prefix, start)) != -1:
        end = text.index('"', at + len(prefix))
        assert text[at + len(prefix) : end] in schemas
        start = end
    assert doc["openapi"].startswith("3.1")


def test_request_bodies_and_access_token_security_are_described(client):
    paths = document(client)["paths"]
    modify = paths["/wxa/modify_domain"]["post"]
    assert modify["security"] == [{"access_token": []}]
    assert modify["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "ModifyDomainBody"
    )
    token = paths["/cgi-bin/token"]["get"]
    assert {p["name"] for p in token["parameters"]} == {"grant_type", "appid", "secret"}


def test_the_docs_page_lists_every_route(client):
    page = client.get("/openapi/").content.decode()
    for path in document(client)["paths"]:
        assert f"<code>{path}</code>" in page
