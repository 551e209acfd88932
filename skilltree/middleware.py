"""Middleware of the whole site: refuse NUL bytes; answer visitors from the public pages' cache."""

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
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


class SitePolicyCSPMiddleware(CSPMiddleware):
    """django-csp's middleware with the site's policy (CONTENT_SECURITY_POLICY) built once.

    django-csp builds the header from settings on every response. A response that used no nonce
    and no `@csp_*` decorator gets the same header every time, so that one is built on the first
    such response and reused; anything else, and any excluded prefix, goes through django-csp.
    """

    OVERRIDES = (
        "_csp_config",
        "_csp_update",
        "_csp_replace",
        "_csp_exempt",
        "_csp_config_ro",
        "_csp_update_ro",
        "_csp_replace_ro",
        "_csp_exempt_ro",
    )

    def __init__(self, get_response):
        super().__init__(get_response)
        self.site_headers = None
        policies = (
            getattr(settings, "CONTENT_SECURITY_POLICY", None) or {},
            getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None) or {},
        )
        self.constant = not any(policy.get("EXCLUDE_URL_PREFIXES") for policy in policies)

    def process_response(self, request, response):
        if (
            not self.constant
            or getattr(request, "_csp_nonce", None) is not None
            or any(hasattr(response, name) for name in self.OVERRIDES)
            or (settings.DEBUG and response.status_code in (404, 500))
        ):
            return super().process_response(request, response)
        if self.site_headers is None:
            blank = super().process_response(request, HttpResponse())
            self.site_headers = {
                name: blank[name] for name in (HEADER, HEADER_REPORT_ONLY) if name in blank
            }
        else:
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        for name, value in self.site_headers.items():
            if name not in response:
                response[name] = value
        return response
