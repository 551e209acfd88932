"""Skills that go stale (issue 25 item 3): a verification due for a re-check after the months a
curator sets, per skill or for the whole curriculum; shown on the tree, the dashboard, the public
profile and the lead's learner page; the learner submits the evidence again."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

import pages
from assessments.models import Progress
from assessments.recheck import add_months, is_due_for_recheck, rechecks_due
from assessments.sharing import share
from curriculum.models import RecheckPolicy, Skill
from tests.factories import claim_test, learner, make_cohort, make_lead

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 6, 12, tzinfo=UTC)


def _verified(skill, *, months_ago=0, days_ago=0, review="verified"):
    return Progress(
        skill=skill,
        status="test_passed",
        evidence_url="https://github.com/example/proof",
        review=review,
        reviewed_at=add_months(NOW, -months_ago) - timedelta(days=days_ago) if review else None,
    )


@pytest.mark.parametrize(
    "moment,months,expected",
    [
        (datetime(2026, 1, 31), 1, datetime(2026, 2, 28)),
        (datetime(2024, 1, 31), 1, datetime(2024, 2, 29)),
        (datetime(2026, 11, 15), 3, datetime(2027, 2, 15)),
        (datetime(2026, 5, 10), 12, datetime(2027, 5, 10)),
        (datetime(2026, 3, 31), -1, datetime(2026, 2, 28)),
    ],
)
def test_months_are_calendar_months_ending_on_the_months_last_day(moment, months, expected):
    assert add_months(moment, months) == expected


def test_a_verification_falls_due_on_the_day_its_months_are_up():
    skill = Skill(recheck_months=None)

    assert is_due_for_recheck(_verified(skill, months_ago=12), 12, NOW)
    assert not is_due_for_recheck(_verified(skill, months_ago=12, days_ago=-1), 12, NOW)
    assert is_due_for_recheck(_verified(skill, months_ago=12, days_ago=1), 12, NOW)


def test_the_skills_own_months_come_before_the_curriculums_and_none_means_never():
    quick = Skill(recheck_months=6)
    plain = Skill(recheck_months=None)

    assert is_due_for_recheck(_verified(quick, months_ago=7), 24, NOW)
    assert not is_due_for_recheck(_verified(plain, months_ago=7), 24, NOW)
    assert not is_due_for_recheck(_verified(plain, months_ago=70), None, NOW)


def test_only_a_verified_test_falls_due():
    skill = Skill(recheck_months=1)

    assert not is_due_for_recheck(_verified(skill, months_ago=5, review="needs_work"), 1, NOW)
    assert not is_due_for_recheck(_verified(skill, months_ago=5, review=""), 1, NOW)


def test_rechecks_are_listed_oldest_verification_first():
    a, b = Skill.objects.all()[:2]
    a.recheck_months = b.recheck_months = None

    found = rechecks_due(
        [_verified(a, months_ago=13), _verified(b, months_ago=20), _verified(a, months_ago=2)],
        12,
        NOW,
    )

    assert [r.due for r in found] == sorted(r.due for r in found) and len(found) == 2


def test_months_outside_one_to_ten_years_are_refused_by_the_database():
    skill = Skill.objects.first()
    for bad in (0, 121):
        with pytest.raises(IntegrityError), transaction.atomic():
            Skill.objects.filter(pk=skill.pk).update(recheck_months=bad)
    with pytest.raises(IntegrityError), transaction.atomic():
        RecheckPolicy.objects.create(scope="other", months=12)


def _set_policy(months):
    RecheckPolicy.objects.update_or_create(scope="curriculum", defaults={"months": months})
    pages.bump_curriculum()


@pytest.fixture
def ada_verified_long_ago():
    ada = learner(target_track=None)
    skill = Skill.objects.get(slug="linear-algebra")
    claim_test(ada, skill, review="verified", reviewed_at=timezone.now() - timedelta(days=400))
    _set_policy(12)
    return ada, skill


def test_the_learners_pages_say_due_for_a_re_check_and_still_count_it_passed(
    client, ada_verified_long_ago
):
    ada, skill = ada_verified_long_ago
    client.force_login(ada)

    dashboard = client.get(reverse("assessments:dashboard")).content.decode()
    tree = client.get(reverse("curriculum:tree")).content.decode()
    progress = client.get(reverse("assessments:skill_progress", args=[skill.slug])).content.decode()

    assert (
        "Due for a re-check" in dashboard and skill.name in dashboard.split("Due for a re-check")[1]
    )
    assert "Verified, due for a re-check" in tree
    assert "due for a re-check" in progress and "Submit it again for review" in progress
    assert Progress.objects.passed().filter(user=ada).count() == 1


def test_the_public_profile_and_the_leads_learner_page_say_it_too(client, ada_verified_long_ago):
    ada, skill = ada_verified_long_ago
    profile = share(ada)
    lead = make_lead()
    cohort = make_cohort(lead, members=[ada])

    public = client.get(profile.get_absolute_url()).content.decode()
    client.force_login(lead)
    learner_page = client.get(
        reverse("cohorts:cohort_learner", args=[cohort.pk, ada.pk])
    ).content.decode()

    assert "due for a re-check" in public.split("Verified skills")[1]
    assert "Due for a re-check" in learner_page and skill.name in learner_page


def test_a_recent_verification_or_no_policy_shows_nothing(client, ada_verified_long_ago):
    ada, _skill = ada_verified_long_ago
    _set_policy(None)
    client.force_login(ada)

    assert "re-check" not in client.get(reverse("assessments:dashboard")).content.decode()


def test_submitting_the_evidence_again_puts_it_back_to_waiting_for_review(
    client, ada_verified_long_ago
):
    ada, skill = ada_verified_long_ago
    client.force_login(ada)
    url = reverse("assessments:skill_progress", args=[skill.slug])
    form = {
        "status": "test_passed",
        "evidence_url": "https://github.com/example/proof",
        "note": "",
        "resubmit": "on",
    }

    client.post(url, form)
    client.post(url, form)

    row = Progress.objects.get(user=ada, skill=skill)
    assert row.review == "" and row.reviewed_at is None and row.awaiting_review
    assert Progress.objects.filter(user=ada, skill=skill).count() == 1
    client.force_login(ada)
    assert "Due for a re-check" not in client.get(reverse("assessments:dashboard")).content.decode()
