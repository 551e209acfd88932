from django.urls import include, path

from accounts import views

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("profile/", views.profile, name="profile"),
    path("aim/<slug:slug>/", views.aim_track, name="aim_track"),
    # login, logout, password_change(_done), password_reset(_done|_confirm|_complete)
    path("", include("django.contrib.auth.urls")),
]
