"""Progress per skill: status, evidence and note, kept to the learner's own rows."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst

from assessments.models import Progress
from assessments.progress import apply_progress
from curriculum.models import Skill
from curriculum.personal import context_for
from tests.factories import ProgressFactory, SkillFactory

pytestmark = pytest.mark.django_db

Status = Progress.Status


@pytest.fixture
def skill():
    return Skill.objects.order_by("pk").first()


def _url(skill):
    return reverse("assessments:skill_progress", args=[skill.slug])


def _snapshot():
    return list(Progress.objects.order_by("pk").values())


# The rules, on rows in memory


def test_becoming_learning_sets_learning_since():
    now = timezone.now()
    progress = apply_progress(Progress(), Status.LEARNING, now=now)
    assert progress.learning_since == now
    assert progress.passed_at is None


def test_staying_learning_keeps_the_first_date():
    first = timezone.now() - timedelta(weeks=3)
    progress = Progress(status=Status.LEARNING, learning_since=first)
    apply_progress(progress, Status.LEARNING, note="still at it")
    assert progress.learning_since == first


def test_passing_the_test_sets_passed_at_and_keeps_learning_since():
    started = timezone.now() - timedelta(weeks=3)
    now = timezone.now()
    progress = Progress(status=Status.LEARNING, learning_since=started)
    apply_progress(progress, Status.TEST_PASSED, "https://github.com/ada/mlp", now=now)
    assert progress.passed_at == now
    assert progress.learning_since == started


def test_going_back_to_not_started_clears_both_dates():
    progress = Progress(
        status=Status.TEST_PASSED,
        learning_since=timezone.now(),
        passed_at=timezone.now(),
        evidence_url="https://example.com/x",
    )
    apply_progress(progress, Status.NOT_STARTED)
    assert progress.learning_since is None
    assert progress.passed_at is None


def _reviewed(lead):
    return Progress(
        status=Status.TEST_PASSED,
        passed_at=timezone.now(),
        evidence_url="https://github.com/ada/mlp",
        review=Progress.Review.NEEDS_WORK,
        review_comment="No held-out set.",
        reviewed_by=lead,
        reviewed_at=timezone.now(),
    )


def test_changing_the_evidence_clears_the_leads_review(other_learner):
    progress = _reviewed(other_learner)
    apply_progress(progress, Status.TEST_PASSED, "https://github.com/ada/mlp-v2")
    assert progress.review == ""
    assert progress.review_comment == ""
    assert progress.reviewed_by is None
    assert progress.reviewed_at is None


def test_editing_only_the_note_keeps_the_leads_review(other_learner):
    progress = _reviewed(other_learner)
    apply_progress(progress, Status.TEST_PASSED, "https://github.com/ada/mlp", note="v1")
    assert progress.review == Progress.Review.NEEDS_WORK
    assert progress.reviewed_by == other_learner


# The view


def test_learner_marks_a_skill_learning_without_javascript(client, learner, skill):
    client.force_login(learner)
    response = client.post(_url(skill), {"status": "learning", "evidence_url": "", "note": ""})
    assert response.status_code == 302
    assert response["Location"] == skill.get_absolute_url() + "#progress"
    progress = Progress.objects.get(user=learner, skill=skill)
    assert progress.status == Status.LEARNING
    assert progress.learning_since is not None


def test_test_passed_with_evidence_and_note_is_saved(client, learner, skill):
    client.force_login(learner)
    client.post(
        _url(skill),
        {
            "status": "test_passed",
            "evidence_url": "https://github.com/ada/one-layer-net",
            "note": "Backprop by hand, then checked against autograd.",
        },
    )
    progress = Progress.objects.get(user=learner, skill=skill)
    assert progress.status == Status.TEST_PASSED
    assert progress.evidence_url == "https://github.com/ada/one-layer-net"
    assert progress.note == "Backprop by hand, then checked against autograd."
    assert progress.passed_at is not None


def test_after_saving_the_page_shows_the_message(client, learner, skill):
    client.force_login(learner)
    response = client.post(
        _url(skill), {"status": "learning", "next": _url(skill) + "#progress"}, follow=True
    )
    assert f"Saved: {skill.name} is “Learning”." in response.content.decode()


def test_htmx_post_returns_only_the_fragment(client, learner, skill):
    client.force_login(learner)
    response = client.post(_url(skill), {"status": "learning"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<section id="progress"' in html
    assert "<html" not in html
    assert f"Saved: {skill.name} is “Learning”." in html
    assert 'value="learning" id="id_status_1" required checked' in html


def test_posting_twice_keeps_one_row(client, learner, skill):
    client.force_login(learner)
    for _ in range(2):
        client.post(_url(skill), {"status": "learning"})
    assert Progress.objects.filter(user=learner, skill=skill).count() == 1


def test_the_progress_page_shows_the_skills_test(client, learner, skill):
    client.force_login(learner)
    response = client.get(_url(skill))
    assert response.status_code == 200
    assert capfirst(skill.test) in response.content.decode()


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(document.cookie)",
        "JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://files.example.com/evidence.zip",
        "file:///etc/passwd",
    ],
)
def test_evidence_links_other_than_http_are_refused(client, learner, skill, link):
    client.force_login(learner)
    before = _snapshot()
    response = client.post(_url(skill), {"status": "test_passed", "evidence_url": link})
    assert response.status_code == 400
    assert "Use a link that starts with http:// or https://" in response.content.decode()
    assert _snapshot() == before


def test_a_refused_htmx_post_shows_the_message_in_the_fragment(client, learner, skill):
    client.force_login(learner)
    response = client.post(
        _url(skill),
        {"status": "test_passed", "evidence_url": "javascript:alert(1)"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "Nothing was saved" in html
    assert "<html" not in html
    assert not Progress.objects.exists()


def test_a_5000_character_note_is_refused_and_nothing_changes(client, learner, skill):
    client.force_login(learner)
    ProgressFactory(user=learner, skill=skill, status=Status.LEARNING, note="short")
    before = _snapshot()
    response = client.post(_url(skill), {"status": "learning", "note": "x" * 5000})
    assert response.status_code == 400
    assert "Keep the note to 500 characters or fewer (it has 5000)." in response.content.decode()
    assert _snapshot() == before


def test_a_500_character_note_is_accepted(client, learner, skill):
    client.force_login(learner)
    client.post(_url(skill), {"status": "learning", "note": "x" * 500})
    assert len(Progress.objects.get(user=learner).note) == 500


def test_test_passed_without_evidence_is_refused(client, learner, skill):
    client.force_login(learner)
    response = client.post(_url(skill), {"status": "test_passed", "evidence_url": ""})
    assert response.status_code == 400
    assert "Add a link to your evidence to mark the test passed." in response.content.decode()
    assert not Progress.objects.exists()


@pytest.mark.parametrize("status", ["mastered", "", "TEST_PASSED", "1"])
def test_an_unknown_status_is_refused(client, learner, skill, status):
    client.force_login(learner)
    response = client.post(_url(skill), {"status": status})
    assert response.status_code == 400
    assert "Choose where you stand" in response.content.decode()
    assert not Progress.objects.exists()


def test_an_unknown_skill_is_404_and_writes_nothing(client, learner):
    client.force_login(learner)
    response = client.post(
        reverse("assessments:skill_progress", args=["no-such-skill"]), {"status": "learning"}
    )
    assert response.status_code == 404
    assert not Progress.objects.exists()


def test_anonymous_post_redirects_to_login_and_writes_nothing(client, skill):
    response = client.post(_url(skill), {"status": "learning"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")
    assert not Progress.objects.exists()


def test_saving_never_touches_another_learners_row(client, learner, other_learner, skill):
    theirs = ProgressFactory(
        user=other_learner,
        skill=skill,
        status=Status.TEST_PASSED,
        evidence_url="https://github.com/grace/cobol",
    )
    client.force_login(learner)
    client.post(_url(skill), {"status": "not_started"})
    theirs.refresh_from_db()
    assert theirs.status == Status.TEST_PASSED
    assert Progress.objects.get(user=learner).status == Status.NOT_STARTED


def test_the_page_never_shows_another_learners_evidence(client, learner, other_learner, skill):
    ProgressFactory(
        user=other_learner,
        skill=skill,
        status=Status.TEST_PASSED,
        evidence_url="https://github.com/grace/secret-repo",
        note="grace's note",
    )
    client.force_login(learner)
    html = client.get(_url(skill)).content.decode()
    assert "grace/secret-repo" not in html
    assert "grace's note" not in html


def test_an_offsite_next_is_ignored(client, learner, skill):
    client.force_login(learner)
    response = client.post(_url(skill), {"status": "learning", "next": "https://evil.example/"})
    assert response["Location"] == skill.get_absolute_url() + "#progress"


def test_the_learner_sees_the_leads_review(client, learner, other_learner, skill):
    other_learner.display_name = "Grace the lead"
    other_learner.save()
    ProgressFactory(
        user=learner,
        skill=skill,
        status=Status.TEST_PASSED,
        evidence_url="https://github.com/ada/mlp",
        review=Progress.Review.NEEDS_WORK,
        review_comment="Report the held-out loss, not the training loss.",
        reviewed_by=other_learner,
        reviewed_at=timezone.now(),
    )
    client.force_login(learner)
    html = client.get(_url(skill)).content.decode()
    assert "Needs work" in html
    assert "Grace the lead" in html
    assert "Report the held-out loss, not the training loss." in html


# The learner's layer the curriculum pages show (curriculum.personal)


def _personal(page, user, **objects):
    request = RequestFactory().get("/skills/x/")
    request.user = user or AnonymousUser()
    return context_for(request, page, **objects)


def test_skill_page_shows_the_learners_form(learner, skill):
    ProgressFactory(user=learner, skill=skill, status=Status.LEARNING)
    html = _personal("skill", learner, skill=skill)["progress"]
    assert "Where you stand on this skill" in html
    assert 'value="learning" id="id_status_1" required checked' in html


def test_skill_page_invites_visitors_to_sign_in(skill, settings):
    html = _personal("skill", None, skill=skill)["progress"]
    assert "to track your progress on this skill" in html
    assert "<form" not in html


# The curriculum pages, signed in


def _grow(learner, by):
    """Add `by` skills to the tree and a progress row on each for the learner."""
    first = Skill.objects.order_by("pk").first()
    for skill in SkillFactory.create_batch(by, trunk=first.trunk, bucket=first.bucket):
        ProgressFactory(user=learner, skill=skill)


def test_the_skill_page_shows_the_learners_progress_form(client, learner, skill):
    ProgressFactory(
        user=learner,
        skill=skill,
        status=Status.TEST_PASSED,
        evidence_url="https://github.com/ada/proof",
        review=Progress.Review.VERIFIED,
        reviewed_by=learner,
    )
    client.force_login(learner)
    html = client.get(skill.get_absolute_url()).content.decode()
    assert "Where you stand on this skill" in html
    assert 'href="https://github.com/ada/proof"' in html
    assert "Verified" in html
    assert f'name="next" value="{skill.get_absolute_url()}"' in html


def test_visitors_see_the_public_skill_page_with_a_sign_up_prompt(client, skill):
    html = client.get(skill.get_absolute_url()).content.decode()
    assert capfirst(skill.test) in html
    assert "to track your progress on this skill" in html
    assert f'href="{reverse("account_signup")}"' in html
    assert "Where you stand on this skill" not in html


@pytest.mark.parametrize("extra_skills", [0, 40])
def test_the_skill_page_signed_in_runs_a_fixed_number_of_queries(
    client, learner, skill, django_assert_num_queries, extra_skills
):
    _grow(learner, extra_skills)
    client.force_login(learner)
    # the session, its user, whether they lead (the nav), skill, its resources, the learner's
    # progress on it, their private notes on it (issue 13 item 11: SkillNote is its own table)
    with django_assert_num_queries(7):
        assert client.get(skill.get_absolute_url()).status_code == 200
    # the learner's progress and notes are kept under their version (pages.for_learner)
    with django_assert_num_queries(5):
        assert client.get(skill.get_absolute_url()).status_code == 200


# One rule each for "a claim" and "a claim waiting for review", in SQL and in memory


@pytest.mark.parametrize("status", [Status.NOT_STARTED, Status.LEARNING, Status.TEST_PASSED])
@pytest.mark.parametrize("evidence_url", ["", "https://example.com/ada"])
@pytest.mark.parametrize("review", list(Progress.Review.values))
def test_claim_rules_agree_in_the_database_and_in_memory(
    learner, skill, status, evidence_url, review
):
    progress = Progress.objects.create(
        user=learner, skill=skill, status=status, evidence_url=evidence_url, review=review
    )
    assert Progress.objects.claims().filter(pk=progress.pk).exists() == progress.is_claim
    assert (
        Progress.objects.awaiting_review().filter(pk=progress.pk).exists()
        == progress.awaiting_review
    )
    assert progress.awaiting_review == (
        status == Status.TEST_PASSED and bool(evidence_url) and review == ""
    )


@pytest.mark.parametrize("extra_skills", [0, 40])
def test_the_progress_page_runs_a_fixed_number_of_queries(
    client, learner, skill, django_assert_num_queries, extra_skills
):
    _grow(learner, extra_skills)
    client.force_login(learner)
    url = reverse("assessments:skill_progress", args=[skill.slug])
    # the session, its user, whether they lead (the nav), the skill with its trunk, the
    # learner's progress on it, their notes on it
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200
    # the skill is kept at the curriculum's version, the rest under the learner's
    with django_assert_num_queries(3):
        assert client.get(url).status_code == 200
