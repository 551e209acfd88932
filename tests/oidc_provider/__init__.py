"""A small OpenID Connect provider for the single sign-on journeys: django-oauth-toolkit's, run by
a second process on its own SQLite file (tests/test_browser_single_sign_on.py starts it).
Test-only: nothing of the site imports it, and it is never deployed."""
