from django.urls import path  # noqa: F401

urlpatterns = [
    # Sign-up, log-in, log-out, password change and reset, profile
]
