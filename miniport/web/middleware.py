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
