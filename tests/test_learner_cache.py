"""A learner's own pages (dashboard, path, ladder, audit history) keep what they show of the
learner in `{% cache %}` fragments under their version (pages.for_learner): the second view needs
only the session, its user and the nav's question, each write of theirs (made through the site) is
on the very next view of every one of them, and the page around the fragments carries a CSRF
token of its own every time."""

import re

import pytest
from django.core.cache import cache as kept_in_memory
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.audits import draft_full_audit
from assessments.models import Audit, Progress
from assessments.standing import standing_for
from cohorts.models import Membership
from curriculum.models import LadderSignal, Skill, Track
from tests.factories import (
    claim_test,
    learner_with_two_full_audits,
    make_cohort,
    make_lead,
    make_user,
    save_full_audit,
)

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("assessments:dashboard")
KEPT_PAGES = [
    DASHBOARD,
    reverse("assessments:my_path"),
    reverse("assessments:my_ladder"),
    reverse("assessments:audit_history"),
    reverse("assessments:skill_progress", args=["linear-algebra"]),
]
TOKEN = re.compile(r"[A-Za-z0-9]{64}")
SKILL_SLUG = "linear-algebra"


def page(client, url=DASHBOARD):
    response = client.get(url)
    assert response.status_code == 200, url
    return TOKEN.sub("", response.content.decode())


def fresh(client, url=DASHBOARD):
    """The page as computed from the database, nothing kept."""
    kept_in_memory.clear()
    return page(client, url)


@pytest.fixture
def ada(client):
    user = learner_with_two_full_audits(target_track=Track.objects.first(), username="ada")
    draft_full_audit(user)
    client.force_login(user)
    return user


@pytest.mark.parametrize("url", KEPT_PAGES)
def test_the_second_view_of_a_learners_page_needs_only_the_session_its_user_and_the_nav(
    client, ada, url, django_assert_num_queries
):
    first = page(client, url)
    # The session, its user, whether they lead (the nav); the dashboard's "is the address
    # verified?" is kept beside its fragments (pages.kept_beside).
    with django_assert_num_queries(3):
        again = page(client, url)
    assert again == first


@pytest.mark.parametrize("url", KEPT_PAGES)
def test_another_learner_never_gets_ada_s_page(client, ada, url):
    _ticks_the_first_levels_signals(client, ada)
    _starts_the_path(client, ada)
    _learns_with_a_note(client, SKILL_SLUG)
    ada_page = page(client, url)
    grace = learner_with_two_full_audits(target_track=Track.objects.last(), username="grace")
    client.force_login(grace)
    assert page(client, url) != ada_page
    assert page(client, url) == fresh(client, url)


def _rates_and_saves_the_draft(client, user):
    draft = Audit.objects.drafts().get(user=user)
    skill = Skill.objects.get(slug=SKILL_SLUG)
    click = client.post(
        reverse("assessments:rate", args=[draft.pk]),
        {f"rating-{skill.pk}": "1"},
        headers={"HX-Request": "true"},
    )
    assert click.status_code == 200
    saved = client.post(reverse("assessments:save_audit", args=[draft.pk]), follow=True)
    assert saved.redirect_chain


def _starts_learning_the_next_skill(client, user):
    skill = standing_for(user).next_skills[0].skill
    response = client.post(
        reverse("assessments:skill_progress", args=[skill.slug]),
        {"status": Progress.Status.LEARNING},
        follow=True,
    )
    assert response.redirect_chain


def _learns_with_a_note(client, slug):
    response = client.post(
        reverse("assessments:skill_progress", args=[slug]),
        {"status": Progress.Status.LEARNING, "note": "Chapter 2 of Strang."},
        follow=True,
    )
    assert response.redirect_chain


def _ticks_the_first_levels_signals(client, user):
    signals = LadderSignal.objects.filter(level__number=1, retired=False)
    response = client.post(
        reverse("assessments:my_ladder"), {"signals": [s.pk for s in signals]}, follow=True
    )
    assert response.redirect_chain


def _starts_the_path(client, user):
    started = timezone.localdate().isoformat()
    response = client.post(reverse("assessments:my_path"), {"started_on": started}, follow=True)
    assert response.redirect_chain


def _aims_at_another_track(client, user):
    other = Track.objects.exclude(pk=user.target_track_id).first()
    response = client.post(
        reverse("aim_track", args=[other.slug]), {"next": "/profile/"}, follow=True
    )
    assert response.redirect_chain


def _a_lead_reviews_their_evidence(client, user):
    claim = claim_test(user, Skill.objects.get(slug="causal-thinking"))
    lead = make_lead("lena")
    make_cohort(lead, members=[user])
    lead_client = Client()
    lead_client.force_login(lead)
    response = lead_client.post(
        reverse("cohorts:cohort_review", args=[claim.pk]),
        {"review": "needs_work", "comment": "Add a test set."},
        follow=True,
    )
    assert response.redirect_chain


CHANGES = [
    _rates_and_saves_the_draft,
    _starts_learning_the_next_skill,
    _ticks_the_first_levels_signals,
    _starts_the_path,
    _aims_at_another_track,
    _a_lead_reviews_their_evidence,
]


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__.strip("_"))
def test_a_learners_write_is_on_their_dashboard_at_the_next_view(client, ada, change):
    before = page(client)
    change(client, ada)
    after = page(client)
    assert after != before
    assert after == fresh(client)


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__.strip("_"))
def test_a_learners_write_is_on_each_of_their_pages_at_the_next_view(client, ada, change):
    kept = {url: page(client, url) for url in KEPT_PAGES}
    change(client, ada)
    after = {url: page(client, url) for url in KEPT_PAGES}
    assert after == {url: fresh(client, url) for url in KEPT_PAGES}
    assert after != kept


def test_the_path_ladder_and_history_show_what_each_write_changed(client, ada):
    path, ladder, history = KEPT_PAGES[1:4]
    page(client, path), page(client, ladder), page(client, history)
    _starts_the_path(client, ada)
    assert "Week 1 of" in page(client, path)
    _ticks_the_first_levels_signals(client, ada)
    assert "You are at Level 1" in page(client, ladder)
    _rates_and_saves_the_draft(client, ada)
    assert page(client, history).count('href="/audits/') >= 3


def test_joining_a_cohort_leaves_the_dashboard_as_computed(client, ada):
    page(client)
    cohort = make_cohort(make_lead("lena"), name="Spring")
    joined = client.post(reverse("cohorts:cohort_join", args=[cohort.invite_token]), follow=True)
    assert joined.redirect_chain
    assert Membership.objects.filter(cohort=cohort, user=ada).exists()
    assert page(client) == fresh(client)


def test_the_aim_buttons_of_a_kept_dashboard_send_a_valid_csrf_token(ada):
    client = Client(enforce_csrf_checks=True)
    client.force_login(ada)
    client.get(DASHBOARD)
    html = client.get(DASHBOARD).content.decode()  # the body from the kept fragment
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    other = Track.objects.exclude(pk=ada.target_track_id).first()
    assert (
        f'form="dashboard-actions" formaction="{reverse("aim_track", args=[other.slug])}"' in html
    )
    response = client.post(
        reverse("aim_track", args=[other.slug]),
        {"csrfmiddlewaretoken": token, "next": DASHBOARD},
        follow=True,
    )
    assert response.redirect_chain
    ada.refresh_from_db()
    assert ada.target_track == other


def test_the_dashboard_is_computed_when_the_shared_cache_fails(client, ada, monkeypatch):
    from django.core.cache import caches

    expected = page(client)

    def broken(*args, **kwargs):
        raise ConnectionError("the cache is down")

    monkeypatch.setattr(caches["shared"], "get_many", broken)
    assert page(client) == expected


@pytest.mark.parametrize("audits", [1, 6])
def test_the_audit_history_runs_a_fixed_number_of_queries_however_many_audits(
    client, audits, django_assert_num_queries
):
    user = make_user("ada")
    skills = list(Skill.objects.all()[:3])
    for days_ago in range(audits):
        save_full_audit(user, dict.fromkeys(skills, 3), days_ago=days_ago + 1)
    draft_full_audit(user)
    client.force_login(user)
    kept_in_memory.clear()
    # the session, its user, whether they lead (the nav), the saved audits with their counts,
    # the draft with its count, how many skills there are, the verdicts on the learner's tests
    # (how their ratings held up: none here, so no ratings read for it)
    with django_assert_num_queries(7):
        html = page(client, KEPT_PAGES[3])
    assert html.count('href="/audits/') == audits


PROGRESS_PAGE = reverse("assessments:skill_progress", args=[SKILL_SLUG])


def test_a_note_saved_from_another_page_is_in_the_kept_progress_page(client, ada):
    page(client, PROGRESS_PAGE)
    saved = client.post(
        reverse("assessments:skill_notes", args=[SKILL_SLUG]),
        {"text": "Eigenvalues next.", "next": "/dashboard/"},
    )
    assert saved.status_code == 302
    assert "Saved your private notes." in page(client, PROGRESS_PAGE)  # the message, once
    html = page(client, PROGRESS_PAGE)
    assert "Eigenvalues next." in html
    assert html == fresh(client, PROGRESS_PAGE)


def test_a_refused_post_on_a_kept_progress_page_shows_what_was_sent(client, ada):
    page(client, PROGRESS_PAGE)
    page(client, PROGRESS_PAGE)
    refused = client.post(
        PROGRESS_PAGE, {"status": Progress.Status.TEST_PASSED, "note": "Done, link to follow."}
    )
    html = refused.content.decode()
    assert refused.status_code == 400
    assert "Nothing was saved" in html
    assert 'value="test_passed" id="id_status_2" required checked' in html
    assert "Done, link to follow." in html
    assert not Progress.objects.filter(user=ada, skill__slug=SKILL_SLUG).exists()


def test_the_kept_progress_form_sends_a_valid_csrf_token(ada):
    client = Client(enforce_csrf_checks=True)
    client.force_login(ada)
    client.get(PROGRESS_PAGE)
    html = client.get(PROGRESS_PAGE).content.decode()  # the fields from the kept fragment
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = client.post(
        PROGRESS_PAGE, {"csrfmiddlewaretoken": token, "status": Progress.Status.LEARNING}
    )
    assert response.status_code == 302
    assert Progress.objects.get(user=ada, skill__slug=SKILL_SLUG).status == Progress.Status.LEARNING
