"""The site's `handler500`: while the database does not answer, the page says so.

A view, a template or a middleware that reads the session fails with Django's
`OperationalError` or `InterfaceError` when the database is down or refuses connections. That is
not a bug in the page, and trying again later helps: the answer is the site's own 503 page with
`Retry-After`. Every other uncaught exception gets Django's own 500 view (templates/500.html).
Both are rendered without the request, since reading `user` would query the database again.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

RETRY_AFTER_SECONDS = 30


def server_error(request):
    if not isinstance(sys.exception(), OperationalError | InterfaceError):
        return defaults.server_error(request)
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
