from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.http import FileResponse
from django.urls import include, path
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from curriculum.admin import download_framework


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin's): the site's SVG."""
    response = FileResponse(
        (settings.BASE_DIR / "static" / "favicon.svg").open("rb"), content_type="image/svg+xml"
    )
    patch_cache_control(response, public=True, max_age=86400)
    return response


# The admin's own log-in form would skip allauth's steps (the second factor among them): it sends
# people to the site's log-in page instead (django-allauth's documented way).
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    path(
        "admin/curriculum/framework.json",
        admin.site.admin_view(download_framework),
        name="curriculum-framework",
    ),
    path("admin/", admin.site.urls),
    path("", include("api.urls")),
    path("accounts/", include("accounts.urls")),
    path("", include("assessments.urls")),
    path("", include("cohorts.urls")),
    path("", include("notices.urls")),
    path("", include("curriculum.urls")),
]

handler500 = "skilltree.unavailable.server_error"
