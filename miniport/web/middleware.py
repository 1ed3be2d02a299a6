import time

from django.conf import settings

from miniport.core import origin


class RequestOriginMiddleware:
    """Makes the client address and agent known to audit rows written during the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = origin.set_current(
            origin.Origin(
                ip=origin.client_ip(request), agent=request.META.get("HTTP_USER_AGENT", "")[:300]
            )
        )
        try:
            return self.get_response(request)
        finally:
            origin.reset(token)


class SessionIdleTimeoutMiddleware:
    """Ends a session that has seen no request for SESSION_IDLE_SECONDS (the absolute
    limit is SESSION_COOKIE_AGE). Sessions without data (anonymous visitors) are left
    alone, so this never creates one."""

    KEY = "_last_seen"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty():
            now = int(time.time())
            last_seen = session.get(self.KEY)
            if isinstance(last_seen, int) and now - last_seen > settings.SESSION_IDLE_SECONDS:
                session.flush()
            elif not isinstance(last_seen, int) or now - last_seen >= 60:
                # Written at most once a minute, so reading pages is not a write each time.
                session[self.KEY] = now
        return self.get_response(request)


class RequestLimitsMiddleware:
    """Caps each request before anything reads it (issue 9 items 2 and 9), by the table
    in miniport.web.limits, which the front (nginx under `miniport serve`) enforces too:

    - a request line over MAX_REQUEST_LINE_BYTES: 40097 on the JSON API, a 414 page else;
    - a declared Content-Length over the route's cap: refused unread, 45002 on the API,
      a 413 page else (routes whose view refuses with its own page are left to it);
    - a body without a declared length, or longer than declared, is read through a
      stream that stops at the cap, so nothing reads, or spools, past it.

    First in MIDDLEWARE: nothing before it may read the body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from miniport.web import limits

        meta = request.META
        target = meta.get("RAW_URI") or request.get_full_path()
        line = len(request.method or "") + len(target) + len(meta.get("SERVER_PROTOCOL", "")) + 2
        if line > limits.MAX_REQUEST_LINE_BYTES:
            return limits.refusal(request.path_info, too_large=False)
        if request.method in ("GET", "HEAD", "OPTIONS") and not meta.get("CONTENT_LENGTH"):
            return self.get_response(request)
        cap, row = limits.cap_for(request.path_info)
        try:
            declared = int(meta.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > cap and (row is None or not row.view_refuses):
            return limits.refusal(request.path_info, too_large=True)
        stream = getattr(request, "_stream", None)
        if stream is not None:
            request._stream = limits.CappedStream(stream, cap, request)
        response = self.get_response(request)
        if getattr(request, "body_cap_exceeded", False) and response.status_code != 413:
            return limits.refusal(request.path_info, too_large=True)
        return response
