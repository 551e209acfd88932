import pytest


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user(
        username="curator", password="curate-the-tree-42", is_staff=True, is_superuser=True
    )


# Browser journeys (issue 7): Playwright fixtures (browser, page, new_page, log_in, log_in_with_form,
# shoot, assert_accessible) and the notice when Chromium is missing. See tests/browser_fixtures.py.
pytest_plugins = ["tests.browser_fixtures"]
