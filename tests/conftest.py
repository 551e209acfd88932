import fcntl
import os
import tempfile
from pathlib import Path

import pytest

from tests import factories

DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_serialized_rollback"}


MUTATION_SLOTS = 8
_claimed_slot = []


def _claim_mutation_slot():
    """The first of MUTATION_SLOTS numbers no other process holds, held (a file lock) until this
    process exits."""
    folder = Path(tempfile.gettempdir()) / "skilltree-mutation-slots"
    folder.mkdir(exist_ok=True)
    for number in range(MUTATION_SLOTS):
        lock = (folder / f"{number}.lock").open("w")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.close()
            continue
        _claimed_slot.append(lock)
        return number
    raise RuntimeError(f"all {MUTATION_SLOTS} mutation database slots are held")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """`make mutation` (MUTATION_DATABASE_SLOTS=1) tests mutants side by side, a process each:
    each tests on a database of its own, reused by the next process in that slot, so two
    processes' tests never create the same usernames in one database, deadlock, and have
    mutmut count the deadlock as the mutant killed."""
    if not os.environ.get("MUTATION_DATABASE_SLOTS"):
        return
    from django.conf import settings

    number = _claim_mutation_slot()
    database = settings.DATABASES["default"]
    test = database.setdefault("TEST", {})
    test["NAME"] = f"{test.get('NAME') or 'test_' + database['NAME']}_slot{number}"


@pytest.fixture(autouse=True)
def _curriculum_in_the_database(request, django_db_blocker):
    """Every database test starts with the seeded curriculum and the cohort leads group.

    The curriculum comes from a data migration. Transactional tests empty every table when they
    end, so put it back before the next test needs it. Every transactional test here asks for a
    serialized rollback: Django then restores the migrated rows itself, with their original ids
    (a plain flush would remake content types under new ids, which the next restore collides with).
    The flush empties `SeedLoad` too, so the loader (which never remakes a row it made once)
    makes every row again.
    """
    if not (
        request.node.get_closest_marker("django_db")
        or DATABASE_FIXTURES & set(request.fixturenames)
    ):
        return
    marker = request.node.get_closest_marker("django_db")
    if "django_db_serialized_rollback" in request.fixturenames or (
        marker and marker.kwargs.get("serialized_rollback")
    ):
        return  # Django puts back the whole migrated database itself
    request.getfixturevalue("django_db_setup")
    with django_db_blocker.unblock():
        factories.restore_migrated_data()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with nothing cached: a rolled-back test's curriculum must not linger."""
    from django.core.cache import caches

    import pages

    pages.shared_backoff.reset()  # a test's broken Redis is not the next test's
    for alias in ("default", "shared"):
        caches[alias].clear()
    yield
    for alias in ("default", "shared"):
        caches[alias].clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hashing passwords at production strength would make the suite several times slower."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Browser journeys (issue 7): Playwright fixtures (browser, page, new_page, log_in, log_in_with_form,
# shoot, assert_accessible) and the notice when Chromium is missing. See tests/browser_fixtures.py.
pytest_plugins = ["tests.browser_fixtures"]


@pytest.fixture
def admin_user(admin_user):
    """pytest-django's superuser (behind `admin_client`), with the second factor the admin asks
    staff for."""
    factories.give_authenticator_app(admin_user)
    return admin_user


@pytest.fixture
def learner():
    return factories.learner()


@pytest.fixture
def other_learner():
    return factories.other_learner()


@pytest.fixture
def staff_user():
    """The site's administrator (a superuser), who signs in as "curator"."""
    return factories.superuser()


@pytest.fixture
def curator():
    return factories.curator()


@pytest.fixture
def small_curriculum():
    """Two trunks of three skills, two buckets, one track, instead of the seed (factories)."""
    return factories.small_curriculum()


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client
