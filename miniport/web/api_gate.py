"""The API answers' gate on the lean path (issue 14 item 1): what the full chain's
SecurityMiddleware, CommonMiddleware, LocaleMiddleware, XFrameOptionsMiddleware and
CSPMiddleware did that an API answer needs, in one layer of settings.API_MIDDLEWARE,
whose steps the JSON lane (miniport.web.json_lane) also calls one by one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.handlers.exception import response_for_exception
from django.http import HttpRequest, HttpResponseBase
from django.http.response import ResponseHeaders
from django.utils import translation

# Host header values ApiGateMiddleware remembers as allowed.
HOSTS_REMEMBERED = 64


class ApiGateMiddleware:
    """What the full chain's SecurityMiddleware, CommonMiddleware, LocaleMiddleware,
    XFrameOptionsMiddleware and CSPMiddleware did that an API answer needs, in one layer
    and without their per-request work for pages:

    - Django's SecurityMiddleware, called directly: the https redirect when the platform
      runs secure, and nosniff, Referrer-Policy, Cross-Origin-Opener-Policy and HSTS on
      every answer, the refusals below included;
    - the Host header is checked against ALLOWED_HOSTS: a DisallowedHost gets the error
      handlers' answer, as CommonMiddleware's check gave it (miniport.web.errors:
      HTTP 200 with errcode 40097, or the pay API's return_code FAIL envelope);
    - the platform's default language is active, whatever the thread served before;
    - X-Frame-Options and the platform's Content-Security-Policy (its settings hold no
      nonce, so the header is the same for every answer: built once) unless the answer
      has its own, and Content-Length on an answer of known length.

    Those headers are constants (SecurityMiddleware too reads its settings once), so
    each is checked and converted as ResponseHeaders would once, here, and written to
    the answer's header store as it is: setting a header checks and converts its name
    and value every time, which was half of an answer's header work (about 6 of every
    call's microseconds in process; issue 14 item 1)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        from csp.constants import HEADER, HEADER_REPORT_ONLY
        from csp.utils import build_policy
        from django.middleware.security import SecurityMiddleware

        self.get_response = get_response
        self.security = SecurityMiddleware(get_response)
        self.language = settings.LANGUAGE_CODE
        self._hosts: set[str] = set()
        self._hosts_of: tuple[object, bool] = (None, False)
        self.frame_options = str(getattr(settings, "X_FRAME_OPTIONS", "DENY")).upper()
        self.frame_entry = _stored("X-Frame-Options", self.frame_options)
        # ((stored key, entry), the answer's attribute exempting it, prefixes excluded)
        self.policies = [
            (_stored(header, value), exempt, _excluded_prefixes(setting))
            for header, value, exempt, setting in (
                (HEADER, build_policy(), "_csp_exempt", "CONTENT_SECURITY_POLICY"),
                (
                    HEADER_REPORT_ONLY,
                    build_policy(report_only=True),
                    "_csp_exempt_ro",
                    "CONTENT_SECURITY_POLICY_REPORT_ONLY",
                ),
            )  # fmt: skip
            if value
        ]
        self.hsts_entry, self.security_entries = _security_entries(self.security)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.admit(request)
        if response is None:
            response = self.get_response(request)
            self.page_headers(request, response)
        self.security_headers(request, response)
        return response

    def admit(self, request: HttpRequest, language_active: bool = False) -> HttpResponseBase | None:
        """The https redirect or the refusal of a hostile Host, or None with the
        platform's default language active (the JSON lane calls this and the two header
        steps itself, and says when its thread has the default language already)."""
        response: HttpResponseBase | None = self.security.process_request(request)
        if response is not None:
            return response
        try:
            self._check_host(request)
        except DisallowedHost as refused:
            return response_for_exception(request, refused)
        if not language_active:
            translation.activate(self.language)
        return None

    def _check_host(self, request: HttpRequest) -> None:
        """request.get_host(), remembering the Host values it let through (at most
        HOSTS_REMEMBERED, forgotten when ALLOWED_HOSTS or DEBUG change): callers send the
        same few, and matching them against ALLOWED_HOSTS was a tenth of ping's time."""
        allowed, debug = settings.ALLOWED_HOSTS, settings.DEBUG
        if allowed is not self._hosts_of[0] or debug != self._hosts_of[1]:
            self._hosts_of = (allowed, debug)
            self._hosts.clear()
        raw = request._get_raw_host()  # type: ignore[attr-defined]
        if raw not in self._hosts:
            request.get_host()
            if len(self._hosts) < HOSTS_REMEMBERED:
                self._hosts.add(raw)

    def page_headers(self, request: HttpRequest, response: HttpResponseBase) -> None:
        store = _store_of(response)
        if "x-frame-options" not in store and not getattr(response, "xframe_options_exempt", False):
            store[self.frame_entry[0]] = self.frame_entry[1]
        if not (settings.DEBUG and response.status_code in (404, 500)):  # as CSPMiddleware
            for (key, entry), exempt, excluded in self.policies:
                if key in store or getattr(response, exempt, False):
                    continue
                if not excluded or not request.path_info.startswith(excluded):
                    store[key] = entry
        if not response.streaming and "content-length" not in store:
            length = str(len(response.content))  # type: ignore[attr-defined]
            store["content-length"] = ("Content-Length", length)  # digits: nothing to check

    def security_headers(self, request: HttpRequest, response: HttpResponseBase) -> None:
        """SecurityMiddleware.process_response, from the entries built once: HSTS on a
        secure request unless present, then each of the others unless present."""
        store = _store_of(response)
        if self.hsts_entry is not None and request.is_secure() and self.hsts_entry[0] not in store:
            store[self.hsts_entry[0]] = self.hsts_entry[1]
        for key, entry in self.security_entries:
            store.setdefault(key, entry)


Stored = tuple[str, tuple[str, str]]


def _stored(header: str, value: str) -> Stored:
    """One header as ResponseHeaders stores it: (lowered name, (name, value)), the value
    checked (no line break) and converted (MIME-encoded past Latin-1) as setting it would."""
    ((key, entry),) = ResponseHeaders({header: value})._store.items()  # type: ignore[attr-defined]
    return key, entry


def _store_of(response: HttpResponseBase) -> dict[str, tuple[str, str]]:
    """The answer's headers as ResponseHeaders keeps them: lowered name -> (name, value)."""
    return response.headers._store  # type: ignore[attr-defined,no-any-return]


def _security_entries(security: Any) -> tuple[Stored | None, list[Stored]]:
    """The headers Django's SecurityMiddleware.process_response sets, from its settings
    as it read them: HSTS (secure requests only) and the others, in its order."""
    hsts = None
    if security.sts_seconds:
        value = f"max-age={security.sts_seconds}"
        if security.sts_include_subdomains:
            value += "; includeSubDomains"
        if security.sts_preload:
            value += "; preload"
        hsts = _stored("Strict-Transport-Security", value)
    referrer = security.referrer_policy
    if isinstance(referrer, str):
        referrer = ",".join(part.strip() for part in referrer.split(","))
    elif referrer:
        referrer = ",".join(referrer)
    others = [
        ("X-Content-Type-Options", "nosniff" if security.content_type_nosniff else ""),
        ("Referrer-Policy", referrer or ""),
        ("Cross-Origin-Opener-Policy", security.cross_origin_opener_policy or ""),
    ]
    return hsts, [_stored(header, value) for header, value in others if value]


def _excluded_prefixes(setting: str) -> tuple[str, ...]:
    policy = getattr(settings, setting, None) or {}
    return tuple(policy.get("EXCLUDE_URL_PREFIXES", None) or ())
