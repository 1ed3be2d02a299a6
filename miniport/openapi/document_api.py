"""The OpenAPI document of the JSON surfaces, and a small page that lists it."""

from __future__ import annotations

from django.http import HttpResponse
from django.template.loader import render_to_string

from miniport.openapi import document
from miniport.web.api import Call, get, json_response


@get("/openapi.json", auth="none", envelope=False, tags=("document",))
def openapi_document(call: Call) -> HttpResponse:
    """This document: every route of the server API and the host-app runtime."""
    response = json_response(document.build())
    response["Content-Type"] = "application/json"
    return response


@get("/openapi/", auth="none", envelope=False, tags=("document",))
def openapi_docs(call: Call) -> HttpResponse:
    """A readable list of the routes in the OpenAPI document."""
    doc = document.build()
    operations = [
        {
            "method": method.upper(),
            "path": path,
            "summary": operation.get("summary", ""),
            "security": ", ".join(
                name for requirement in operation.get("security", []) for name in requirement
            ),
            "body": bool(operation.get("requestBody")),
            "parameters": [p["name"] for p in operation.get("parameters", [])],
        }
        for path, methods in doc["paths"].items()
        for method, operation in methods.items()
    ]
    html = render_to_string(
        "openapi/docs.html", {"operations": operations, "info": doc["info"]}, request=call.request
    )
    return HttpResponse(html)
