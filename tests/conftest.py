import pytest


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user(
        username="curator", password="curate-the-tree-42", is_staff=True, is_superuser=True
    )


@pytest.fixture
def learner(django_user_model):
    return django_user_model.objects.create_user(username="ada", email="ada@example.com")


@pytest.fixture
def other_learner(django_user_model):
    return django_user_model.objects.create_user(username="grace", email="grace@example.com")


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client
