from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import resolve_url


class HtmxLoginRedirectMiddleware:
    """Send an htmx request that needs a log-in to the login page, as a whole page.

    When a session expires, ``login_required`` answers an htmx click with a redirect to the login
    page; the browser follows it inside the XHR and htmx would swap the whole login page into
    the fragment it was updating. Instead, answer with ``HX-Redirect`` so htmx loads the login
    page itself, with ``next`` set to the page the learner was on (not the POST-only endpoint
    the click went to).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not getattr(request, "htmx", False) or response.status_code not in (301, 302, 303):
            return response
        login_path = resolve_url(settings.LOGIN_URL)
        if urlsplit(response.get("Location", "")).path != login_path:
            return response
        back_to = request.htmx.current_url_abs_path or "/"
        return HttpResponse(
            status=204,
            headers={"HX-Redirect": f"{login_path}?{urlencode({'next': back_to}, safe='/')}"},
        )
