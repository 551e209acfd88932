from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.cache import patch_cache_control

from accounts.second_factor import STAFF_NEED_ONE, must_set_up_second_factor


class PrivateAnswersMiddleware:
    """What a signed-in person is shown (pages, exports, fragments) is theirs alone.

    Marked ``Cache-Control: private, no-store`` so no shared cache (a CDN, a proxy) keeps or
    serves it to someone else, and the browser keeps no copy on disk. Answers to visitors who
    are not signed in are left as they are, so public pages stay cacheable.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


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
        try:
            back_to = request.htmx.current_url_abs_path or "/"
        except ValueError:  # an HX-Current-URL that is not a URL (a forged header)
            back_to = "/"
        return HttpResponse(
            status=204,
            headers={"HX-Redirect": f"{login_path}?{urlencode({'next': back_to}, safe='/')}"},
        )


class StaffSecondFactorMiddleware:
    """Staff without a second factor who open any admin page are sent to set one up, told why
    (accounts.second_factor.must_set_up_second_factor). Everyone else passes untouched, and
    only requests under the admin's address cost the one query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(reverse("admin:index")) and must_set_up_second_factor(
            request.user
        ):
            messages.warning(request, STAFF_NEED_ONE)
            return redirect("mfa_index")
        return self.get_response(request)
