from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path

from curriculum.admin import download_framework


def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (the admin's): the site's SVG."""
    return redirect(static("favicon.svg"))


urlpatterns = [
    path("favicon.ico", favicon),
    path(
        "admin/curriculum/framework.json",
        admin.site.admin_view(download_framework),
        name="curriculum-framework",
    ),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("", include("assessments.urls")),
    path("", include("cohorts.urls")),
    path("", include("notices.urls")),
    path("", include("curriculum.urls")),
]

handler500 = "skilltree.unavailable.server_error"
