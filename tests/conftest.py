import pytest

DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_serialized_rollback"}


@pytest.fixture(autouse=True)
def _curriculum_in_the_database(request, django_db_blocker):
    """Every database test starts with the seeded curriculum.

    The curriculum comes from a data migration. Transactional tests (the live-server browser
    journeys) empty every table when they end, so put it back before the next test needs it.
    The flush empties `SeedLoad` too, so the loader (which never remakes a row it made once)
    makes every row again.
    """
    if not (
        request.node.get_closest_marker("django_db")
        or DATABASE_FIXTURES & set(request.fixturenames)
    ):
        return
    request.getfixturevalue("django_db_setup")
    from django.apps import apps

    from curriculum.models import Trunk
    from curriculum.seed import load_curriculum

    with django_db_blocker.unblock():
        if not Trunk.objects.exists():
            load_curriculum(lambda name: apps.get_model("curriculum", name))


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hashing passwords at production strength would make the suite several times slower."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user(
        username="curator", password="curate-the-tree-42", is_staff=True, is_superuser=True
    )


# Browser journeys (issue 7): Playwright fixtures (browser, page, new_page, log_in, log_in_with_form,
# shoot, assert_accessible) and the notice when Chromium is missing. See tests/browser_fixtures.py.
pytest_plugins = ["tests.browser_fixtures"]


@pytest.fixture
def learner(django_user_model):
    return django_user_model.objects.create_user(username="ada", password="x-learns-ai-42")


@pytest.fixture
def saved_audit():
    """Make a saved audit: `saved_audit(user, {"skill-slug": 3}, days_ago=0)`; `kind="quick"`
    takes {question order: value} instead."""
    from datetime import timedelta

    from django.utils import timezone

    from assessments.models import Audit, BaselineAnswer, Rating
    from curriculum.models import BaselineQuestion, Skill

    def make(user, values, *, kind="full", days_ago=0):
        audit = Audit.objects.create(
            user=user, kind=kind, saved_at=timezone.now() - timedelta(days=days_ago)
        )
        if kind == "full":
            skills = Skill.objects.in_bulk(list(values), field_name="slug")
            Rating.objects.bulk_create(
                Rating(audit=audit, skill=skills[slug], value=v) for slug, v in values.items()
            )
        else:
            questions = {q.order: q for q in BaselineQuestion.objects.filter(order__in=values)}
            BaselineAnswer.objects.bulk_create(
                BaselineAnswer(audit=audit, question=questions[o], value=v)
                for o, v in values.items()
            )
        return audit

    return make


@pytest.fixture
def other_learner(django_user_model):
    return django_user_model.objects.create_user(username="grace", email="grace@example.com")


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client
