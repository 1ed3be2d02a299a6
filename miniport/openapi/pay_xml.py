"""The WeChat Pay v2 XML API of the sandbox (reference wechat-pay-v2.md): thin views that
hand the raw body to `payments.sandbox.gateway` and send back its XML (or the bill's CSV).

POST only; the body is read whatever the Content-Type (wechatpy sends none); no CSRF
(the signature is the credential); HTTP 200 for protocol and business failures alike."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from miniport.payments.sandbox import gateway
from miniport.payments.sandbox.errors import wire


def _reply(answer: gateway.Answer) -> HttpResponse:
    return HttpResponse(answer.body.encode(), content_type=answer.content_type)


def endpoint(name: str, *, sandbox: bool):
    @csrf_exempt
    def view(request: HttpRequest) -> HttpResponse:
        if request.method != "POST":
            return _reply(gateway.failure(wire("REQUIRE_POST_METHOD")))
        try:
            body = request.body
        except RequestDataTooBig:
            return _reply(gateway.failure(wire("XML_FORMAT_ERROR", "请求内容超过大小限制")))
        return _reply(gateway.answer(name, body, sandbox=sandbox))

    view.__name__ = ("sandbox_" if sandbox else "") + name.replace("/", "_")
    return view
