"""Middleware of the whole site: refuse NUL bytes."""

from django.core.exceptions import SuspiciousOperation

NUL = "\x00"


class NulByteInRequest(SuspiciousOperation):
    pass


def _holds_nul(pairs):
    return any(NUL in key or NUL in value for key, value in pairs)


def _form_pairs(query_dict):
    return ((key, value) for key, values in query_dict.lists() for value in values)


class RefuseNulBytesMiddleware:
    """Answer 400 to a request with a NUL byte in its path, query, cookies, headers or form.

    PostgreSQL cannot store or even compare text holding NUL, so such a value reaching a query
    is a 500. No browser sends one. Django's form fields refuse NUL, but the path (an invite
    token), the query (a track slug, the admin's search), cookies (the session key) and the
    log-in throttle read values without a form: refusing here covers them all at once.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        headers = (
            (name, value)
            for name, value in request.META.items()
            if name.startswith("HTTP_") and isinstance(value, str)
        )
        if (
            NUL in request.path_info
            or _holds_nul(headers)
            or _holds_nul(request.COOKIES.items())
            or _holds_nul(_form_pairs(request.GET))
            or (request.method == "POST" and _holds_nul(_form_pairs(request.POST)))
        ):
            raise NulByteInRequest("A NUL byte in the request.")
        return self.get_response(request)
