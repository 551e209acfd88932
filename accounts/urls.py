from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import forms, views

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("profile/", views.profile, name="profile"),
    path("profile/emails/", views.email_choices, name="email_choices"),
    path("aim/<slug:slug>/", views.aim_track, name="aim_track"),
    path("login/", auth_views.LoginView.as_view(authentication_form=forms.LoginForm), name="login"),
    path(
        "password_reset/",
        auth_views.PasswordResetView.as_view(form_class=forms.MailAfterAnsweringPasswordResetForm),
        name="password_reset",
    ),
    # logout, password_change(_done), password_reset_(done|confirm|complete)
    path("", include("django.contrib.auth.urls")),
]
