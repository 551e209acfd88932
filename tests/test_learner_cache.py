"""A learner's own pages cached per learner (assessments/cache.py): the second view of a page is
served without the learner's queries, and any change to their rows, by any code path, is on the
next view."""

import re

import pytest
from django.core.cache import cache as django_cache
from django.urls import reverse

from accounts.targets import aim_for
from assessments.audits import draft_full_audit, save_audit
from assessments.ladder import record_ticks
from assessments.models import Audit, Progress, Rating
from assessments.path import set_path_start
from cohorts.models import Cohort, Membership
from curriculum.models import LadderSignal, Skill, Track
from tests.factories import ProgressFactory, UserFactory, learner_with_two_full_audits

pytestmark = pytest.mark.django_db

SKILL_SLUG = "linear-algebra"
PAGES = {
    "dashboard": reverse("assessments:dashboard"),
    "full audit": reverse("assessments:audit"),
    "my ladder": reverse("assessments:my_ladder"),
    "my path": reverse("assessments:my_path"),
    "audit history": reverse("assessments:audit_history"),
    "skill progress": reverse("assessments:skill_progress", args=[SKILL_SLUG]),
}


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return re.sub(r"[A-Za-z0-9]{64}", "", response.content.decode())


def fresh(client, url):
    django_cache.clear()
    return page(client, url)


@pytest.fixture
def ada(client):
    user = learner_with_two_full_audits(target_track=Track.objects.first())
    ProgressFactory(user=user, skill=Skill.objects.get(slug=SKILL_SLUG), evidence_url="")
    draft_full_audit(user)
    client.force_login(user)
    return user


@pytest.mark.parametrize("name", PAGES)
def test_the_second_view_of_a_learners_page_needs_only_the_session_and_its_user(
    client, ada, name, django_assert_num_queries
):
    first = page(client, PAGES[name])
    with django_assert_num_queries(2):
        again = page(client, PAGES[name])
    assert again == first


def test_another_learner_never_gets_ada_s_page(client, ada):
    ada_page = page(client, PAGES["dashboard"])
    client.force_login(UserFactory(username="grace"))
    assert page(client, PAGES["dashboard"]) != ada_page


def _admin_edits_a_rating(client, user):
    rating = Rating.objects.filter(audit__user=user, audit__saved_at__isnull=False).latest("pk")
    rating.value = 1
    rating.save()


def _rating_click(client, user):
    draft = Audit.objects.drafts().get(user=user)
    skill = Skill.objects.get(slug=SKILL_SLUG)
    response = client.post(
        reverse("assessments:rate", args=[draft.pk]),
        {f"rating-{skill.pk}": "5"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200


def _lead_reviews_evidence(client, user):
    progress = Progress.objects.get(user=user, skill__slug=SKILL_SLUG)
    progress.status = Progress.Status.TEST_PASSED
    progress.evidence_url = "https://example.org/evidence"
    progress.reviewed_by = UserFactory(username="lead")
    progress.save()


def _aims_at_another_track(client, user):
    aim_for(user, Track.objects.exclude(pk=user.target_track_id).first())


def _ticks_a_signal(client, user):
    record_ticks(user, [LadderSignal.objects.first()])


def _starts_the_path(client, user):
    from django.utils import timezone

    set_path_start(user, timezone.localdate())


def _saves_the_draft(client, user):
    save_audit(Audit.objects.drafts().get(user=user))


def _joins_a_cohort(client, user):
    Membership.objects.create(cohort=Cohort.objects.create(name="Spring"), user=user)


def _deletes_the_draft(client, user):
    Audit.objects.drafts().get(user=user).delete()


CHANGES = [
    _admin_edits_a_rating,
    _rating_click,
    _lead_reviews_evidence,
    _aims_at_another_track,
    _ticks_a_signal,
    _starts_the_path,
    _saves_the_draft,
    _deletes_the_draft,
]


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__.strip("_"))
def test_a_change_by_any_code_path_is_on_every_page_at_the_next_view(client, ada, change):
    before = {name: page(client, url) for name, url in PAGES.items()}
    change(client, ada)
    after = {name: page(client, url) for name, url in PAGES.items()}
    assert after != before, "the change shows somewhere"
    for name, url in PAGES.items():
        assert after[name] == fresh(client, url), f"{name} is stale after {change.__name__}"


def test_joining_a_cohort_makes_a_new_version_of_the_learners_pages(client, ada):
    from assessments.cache import _versions

    versions = _versions(ada.pk)
    _joins_a_cohort(client, ada)
    assert _versions(ada.pk) != versions


def test_renaming_a_cohort_makes_a_new_version_for_everyone(client, ada):
    from assessments.cache import _versions

    cohort = Cohort.objects.create(name="Spring")
    versions = _versions(ada.pk)
    cohort.name = "Summer"
    cohort.save()
    assert _versions(ada.pk) != versions


def test_a_learners_pages_are_computed_when_the_cache_fails(client, ada, monkeypatch):
    from tests.test_cache import BrokenCache

    monkeypatch.setattr("curriculum.cache.versions", BrokenCache)
    monkeypatch.setattr("curriculum.cache.cache", BrokenCache())
    for url in PAGES.values():
        assert client.get(url).status_code == 200


def test_a_log_in_elsewhere_does_not_empty_everyones_cache(client, ada):
    from django.test import Client

    from assessments.cache import _project_models, _versions

    labels = {model._meta.label for model in _project_models()}
    assert {"accounts.User", "assessments.Rating", "cohorts.Membership"} <= labels
    assert not {"accounts.Session", "axes.AccessLog", "admin.LogEntry"} & labels
    versions = _versions(ada.pk)
    Client().force_login(UserFactory(username="grace"))
    assert _versions(ada.pk) == versions


def test_a_page_seen_again_after_a_change_replaces_its_kept_copy(client, ada):
    """A process keeps one copy of each person's page, not one per version of their data: the
    soak's workers grew by the cohort page's size on every rating click until culling."""
    from django.core.cache import caches

    from assessments.cache import bump_learner

    kept = caches["default"]
    for url in PAGES.values():
        page(client, url)
    before = len(kept._cache)
    for _ in range(3):
        bump_learner(ada.pk)
        for url in PAGES.values():
            page(client, url)
    assert len(kept._cache) == before
