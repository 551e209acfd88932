"""Calibration over time, for the learner (issue 25 item 2): each saved full audit's
self-ratings against the leads' verdicts, the rule as pure functions and the "Your audits" page."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.calibration import (
    OVER_RATED_FROM,
    UNDER_RATED_UP_TO,
    calibrate,
    calibration_for,
    summary,
    verdict_fit,
)
from assessments.status import SkillStatus
from curriculum.models import Skill
from tests.factories import AuditFactory, claim_test, learner, save_full_audit

pytestmark = pytest.mark.django_db

VERIFIED, NEEDS_WORK = SkillStatus.VERIFIED, SkillStatus.NEEDS_WORK
HISTORY = reverse("assessments:audit_history")


@pytest.mark.parametrize(
    "value,verdict,fit",
    [
        (OVER_RATED_FROM, NEEDS_WORK, "over"),
        (5, NEEDS_WORK, "over"),
        (OVER_RATED_FROM - 1, NEEDS_WORK, "held"),
        (UNDER_RATED_UP_TO, VERIFIED, "under"),
        (1, VERIFIED, "under"),
        (UNDER_RATED_UP_TO + 1, VERIFIED, "held"),
        (5, VERIFIED, "held"),
        (1, NEEDS_WORK, "held"),
    ],
)
def test_a_rating_is_over_under_or_held_up_by_the_verdict_on_its_test(value, verdict, fit):
    assert verdict_fit(value, verdict) == fit


def _audit(pk, days_ago):
    return SimpleNamespace(pk=pk, saved_at=timezone.now() - timedelta(days=days_ago))


def _skills(n):
    return list(Skill.objects.select_related("trunk").order_by("trunk__number", "order")[:n])


def test_audits_are_compared_oldest_first_and_an_audit_with_nothing_checked_is_left_out():
    a, b, c = _skills(3)
    old, unchecked, recent = _audit(1, 60), _audit(2, 30), _audit(3, 1)
    rows = [
        (1, a, 4, NEEDS_WORK),
        (1, b, 5, NEEDS_WORK),
        (1, c, 2, VERIFIED),
        (3, a, 2, NEEDS_WORK),
        (3, c, 4, VERIFIED),
    ]

    calibration = calibrate([recent, unchecked, old], rows)

    assert [row.audit.pk for row in calibration.audits] == [1, 3]
    first, latest = calibration.audits
    assert (first.over, first.under, first.held) == (2, 1, 0)
    assert (latest.over, latest.under, latest.held) == (0, 0, 2)
    assert first.mean_needs_work == 4.5 and first.mean_verified == 2
    assert calibration.most_checked == 3
    assert calibration.latest is latest


def test_by_trunk_counts_only_the_trunks_an_audit_checked():
    skills = list(Skill.objects.select_related("trunk").order_by("trunk__number", "order"))
    first_trunk = skills[0]
    other = next(s for s in skills if s.trunk.number == 3)
    calibration = calibrate(
        [_audit(1, 5)], [(1, first_trunk, 5, NEEDS_WORK), (1, other, 1, VERIFIED)]
    )

    assert [t.number for t in calibration.trunks] == [1, 3]
    ((_audit_row, cells),) = calibration.trunk_rows
    assert [(c.checked, c.over, c.under) for c in cells] == [(1, 1, 0), (1, 0, 1)]


def test_nothing_to_compare_is_an_empty_calibration_and_no_sentence():
    calibration = calibrate([_audit(1, 5)], [])

    assert not calibration
    assert summary(calibration) == ""


def test_the_sentence_says_what_the_learner_rated_and_what_came_back():
    a, b, c, d = _skills(4)
    over = calibrate([_audit(1, 5)], [(1, s, 4, NEEDS_WORK) for s in (a, b, c)])
    both = calibrate(
        [_audit(1, 5)], [(1, a, 5, NEEDS_WORK), (1, b, 4, NEEDS_WORK), (1, d, 2, VERIFIED)]
    )
    held = calibrate([_audit(1, 5)], [(1, a, 3, NEEDS_WORK), (1, b, 4, VERIFIED)])

    assert "you rated yourself 4 on three skills whose tests came back needing work." in summary(
        over
    )
    assert (
        "you rated yourself 4 to 5 on two skills whose tests came back needing work and 2 on one "
        "skill a lead verified." in summary(both)
    )
    assert "your ratings held up" in summary(
        held
    ) and "on all two skills a lead checked." in summary(held)


def _reviewed(user, skill, verdict):
    return claim_test(user, skill, review=verdict)


def test_calibration_reads_full_audits_and_the_verdicts_of_reviewed_tests_only(
    django_assert_num_queries,
):
    ada = learner()
    a, b, c = _skills(3)
    _reviewed(ada, a, "needs_work")
    _reviewed(ada, b, "verified")
    claim_test(ada, c)  # waiting for review: nothing to compare yet
    save_full_audit(ada, {a: 4, b: 2, c: 5}, days_ago=40)
    save_full_audit(ada, {a: 2, b: 4, c: 5}, days_ago=3)
    AuditFactory(user=ada, quick=True, answers={1: 5})

    with django_assert_num_queries(2):
        calibration = calibration_for(ada)

    assert [(row.over, row.under, row.held) for row in calibration.audits] == [(1, 1, 0), (0, 0, 2)]


def test_the_audits_page_shows_nothing_until_there_is_evidence_to_compare(client):
    ada = learner()
    a = _skills(1)[0]
    save_full_audit(ada, {a: 5})
    claim_test(ada, a)  # passed, not yet reviewed
    client.force_login(ada)

    assert "How your ratings held up" not in client.get(HISTORY).content.decode()


def test_the_audits_page_shows_the_sentence_chart_and_tables(client):
    ada = learner()
    a, b, c = _skills(3)
    for skill in (a, b, c):
        _reviewed(ada, skill, "needs_work")
    save_full_audit(ada, {a: 4, b: 4, c: 4}, days_ago=2)
    client.force_login(ada)

    page = client.get(HISTORY).content.decode()

    assert "How your ratings held up" in page
    assert "you rated yourself 4 on three skills whose tests came back needing work" in page
    assert 'id="calibration-chart"' in page and 'class="chart__bar chart__bar--over"' in page
    table = page.split('id="calibration-caption"')[1].split("</table>")[0]
    assert "<td>3</td><td>0</td><td>3</td><td>0</td>" in table
    assert a.name in page.split("Over-rated in your audit of")[1]


# the history page's seven (tests/test_full_audit.py) and the ratings of the skills with a verdict
HISTORY_WITH_VERDICTS_QUERIES = 8


@pytest.mark.parametrize("audits,verdicts", [(1, 1), (12, 20)])
def test_the_audits_page_runs_a_fixed_number_of_queries_with_verdicts(
    client, django_assert_num_queries, audits, verdicts
):
    ada = learner()
    skills = _skills(verdicts)
    for n, skill in enumerate(skills):
        _reviewed(ada, skill, "verified" if n % 2 else "needs_work")
    for days in range(audits):
        save_full_audit(
            ada, {s: 1 + (days + n) % 5 for n, s in enumerate(skills)}, days_ago=days + 1
        )
    client.force_login(ada)

    with django_assert_num_queries(HISTORY_WITH_VERDICTS_QUERIES):
        page = client.get(HISTORY).content.decode()

    assert page.count('class="chart__label"') == audits
