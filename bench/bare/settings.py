"""Bare Django for the bench's baseline: one view, no database, no middleware, DEBUG off."""

import os

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "bench-bare-django-only")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.bare.urls"
INSTALLED_APPS = []
MIDDLEWARE = []
DATABASES = {}
USE_TZ = True
