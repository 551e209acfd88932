import pytest


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user(
        username="curator", password="curate-the-tree-42", is_staff=True, is_superuser=True
    )


@pytest.fixture
def fast_password_hasher(settings):
    """Opt-in: MD5 hashing makes tests that create or check many passwords ~100x faster."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
