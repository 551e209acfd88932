"""Where to send someone next: the page a `next` parameter names, if it is on this site."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, fallback):
    """The POSTed or queried `next` when it is a URL (a path or http(s)) on this host (and, over
    HTTPS, stays on HTTPS); else `fallback`. An open redirect to another site never comes out,
    nor a word that `redirect()` would take for a view's name."""
    target = request.POST.get("next") or request.GET.get("next")
    if (
        target
        and target.startswith(("/", "http://", "https://"))
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return fallback
