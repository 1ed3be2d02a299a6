from django.conf import settings

from miniport.core import clock, origin
from miniport.web import limits


def origin_of(request) -> origin.Origin:
    """The client address and agent of a request, as audit rows record them."""
    return origin.Origin(
        ip=origin.client_ip(request), agent=request.META.get("HTTP_USER_AGENT", "")[:300]
    )


class RequestOriginMiddleware:
    """Makes the client address and agent known to audit rows written during the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = origin.set_current(origin_of(request))
        try:
            return self.get_response(request)
        finally:
            origin.reset(token)


class SessionIdleTimeoutMiddleware:
    """Ends a session SESSION_IDLE_SECONDS after its last request, and SESSION_COOKIE_AGE
    after it began however busy it is (issue 9 item 9): console, ops and phone pages
    alike. Django's own expiry moves forward each time the session is saved, so the
    start is kept in the session. Time comes from core.clock. Sessions without data
    (anonymous visitors, a stale cookie) are left alone, so this never creates one."""

    LAST_SEEN = "_last_seen"
    BEGAN = "_began"
    # The last-seen mark is written at most this often, so reading pages is not a
    # session write each time.
    WRITE_EVERY_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty() and list(session.keys()):
            self._check(session)
        return self.get_response(request)

    def _check(self, session) -> None:
        now = int(clock.now().timestamp())
        last_seen, began = session.get(self.LAST_SEEN), session.get(self.BEGAN)
        idle = isinstance(last_seen, int) and now - last_seen > settings.SESSION_IDLE_SECONDS
        too_old = isinstance(began, int) and now - began > settings.SESSION_COOKIE_AGE
        if idle or too_old:
            session.flush()
            return
        if not isinstance(began, int):
            session[self.BEGAN] = now
        if not isinstance(last_seen, int) or now - last_seen >= self.WRITE_EVERY_SECONDS:
            session[self.LAST_SEEN] = now


class RequestLimitsMiddleware:
    """Caps each request before anything reads it (issue 9 items 2 and 9), by the table
    in miniport.web.limits, which the front (nginx under `miniport serve`) enforces too:

    - a request line over MAX_REQUEST_LINE_BYTES: 40097 on the JSON API, a 414 page else;
    - a declared Content-Length over the route's cap: refused unread, 45002 on the API,
      a 413 page else (routes whose view refuses with its own page are left to it);
    - a body without a declared length, or longer than declared, is read through a
      stream that stops at the cap, so nothing reads, or spools, past it.

    First in MIDDLEWARE and in API_MIDDLEWARE: nothing before it may read the body (the
    lean path's router before it reads the path only)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refused = self.refuse(request)
        if refused is not None:
            return refused
        return self.checked(request, self.get_response(request))

    def refuse(self, request):
        """The refusal of a request over a cap, or None after wrapping its body stream
        (the lean WSGI path's JSON lane calls this and `checked` itself)."""
        meta = request.META
        target = meta.get("RAW_URI") or request.get_full_path()
        line = len(request.method or "") + len(target) + len(meta.get("SERVER_PROTOCOL", "")) + 2
        if line > limits.MAX_REQUEST_LINE_BYTES:
            return limits.refusal(request.path_info, too_large=False)
        if request.method in ("GET", "HEAD", "OPTIONS") and not meta.get("CONTENT_LENGTH"):
            return None
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
        return None

    def checked(self, request, response):
        """`response`, or the refusal when reading the body met its cap (whatever the
        view made of the cut-off body)."""
        refusal = self.over_cap(request)
        if refusal is not None and response.status_code != 413:
            return refusal
        return response

    @staticmethod
    def over_cap(request):
        """The refusal when reading the body met its cap, else None."""
        if getattr(request, "body_cap_exceeded", False):
            return limits.refusal(request.path_info, too_large=True)
        return None


class HeadAsGetMiddleware:
    """A page's HEAD is answered as its GET, without the body (RFC 9110: a server that
    answers GET answers HEAD), so link checkers and uptime probes (`curl -I`) see the
    page's status instead of 405 from the views' GET-only decorators.

    The views see GET, never HEAD: a view that took "not GET" for a form post would
    otherwise run its POST branch for a HEAD, which CSRF protection lets through as a
    safe method. The body is dropped here and Content-Length kept, as for the GET."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "HEAD":
            return self.get_response(request)
        request.method = "GET"
        try:
            response = self.get_response(request)
        finally:
            request.method = "HEAD"
        if response.streaming:
            response.streaming_content = []
        else:
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response
