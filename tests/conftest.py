import pytest


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user(
        username="curator", password="curate-the-tree-42", is_staff=True, is_superuser=True
    )
