from django.contrib.auth.views import LoginView
from django.http import HttpResponse
from django.urls import include, path

urlpatterns = [
    path("o/", include("oauth2_provider.urls")),
    path("login/", LoginView.as_view(template_name="login.html"), name="login"),
    path("ready/", lambda request: HttpResponse("ready"), name="ready"),
]
