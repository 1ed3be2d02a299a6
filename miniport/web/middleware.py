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
