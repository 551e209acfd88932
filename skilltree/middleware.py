"""Middleware of the whole site: refuse NUL bytes; answer visitors from the public pages' cache."""

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token

from curriculum import cache

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


class VisitorsPageMiddleware:
    """Answer a visitor's GET of a cached public page before the session, auth, message and htmx
    middleware run (placed right after the security headers, CSP and static files).

    A visitor here is a plain GET with no query string, no htmx header, no session cookie and
    no messages cookie: exactly who `curriculum.cache.cached_for_visitors` serves, so the page is
    the same one. The first such request runs the whole stack; its HTML and the headers the inner
    middleware set (Vary, X-Frame-Options, Content-Type) are kept per path and curriculum version,
    and the next visitor gets them with their own CSRF token and cookie, set by Django's CSRF
    middleware exactly as on the full path. A curator's save changes the version, so every
    server's next visitor runs the whole stack again.
    """

    SKIPPED_HEADERS = {"content-length", "set-cookie"}

    def __init__(self, get_response):
        self.get_response = get_response
        self.csrf = CsrfViewMiddleware(get_response)

    def _visitor(self, request):
        cookies = request.COOKIES
        return (
            request.method == "GET"
            and not request.META.get("QUERY_STRING")
            and "HTTP_HX_REQUEST" not in request.META
            and settings.SESSION_COOKIE_NAME not in cookies
            and CookieStorage.cookie_name not in cookies
        )

    def __call__(self, request):
        if not self._visitor(request):
            return self.get_response(request)
        kept = cache.visitors_page(request.path)
        if kept is None:
            response = self.get_response(request)
            body = getattr(response, "visitors_page", None)
            if body is not None and response.status_code == 200:
                headers = {
                    name: value
                    for name, value in response.items()
                    if name.lower() not in self.SKIPPED_HEADERS
                }
                cache.keep_visitors_page(request.path, headers, body)
            return response
        request.get_host()
        self.csrf.process_request(request)
        headers, parts = kept
        content = get_token(request).encode().join(parts)
        response = HttpResponse(content, headers=headers)
        response["Content-Length"] = str(len(content))
        return self.csrf.process_response(request, response)
