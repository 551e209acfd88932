"""The cohort over time, for its leads (issue 25 item 5): the cohort's mean by trunk week by
week since it started, and how many members each failure mode touches now."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.over_time import MAX_WEEKS, cohort_means, cohort_over_time, week_ends
from curriculum.models import Skill, Trunk
from tests.factories import (
    ProgressFactory,
    bulk_cohort,
    learner_chasing_hype,
    make_cohort,
    make_lead,
    make_user,
    save_full_audit,
)

pytestmark = pytest.mark.django_db


def test_weeks_run_from_the_start_to_the_week_holding_today():
    start = date(2026, 1, 5)

    assert week_ends(start, start) == [(1, date(2026, 1, 11))]
    assert week_ends(start, date(2026, 1, 11)) == [(1, date(2026, 1, 11))]
    assert week_ends(start, date(2026, 1, 12))[-1] == (2, date(2026, 1, 18))
    assert week_ends(start, start - timedelta(days=1)) == []
    assert week_ends(None, start) == []


def test_a_long_cohort_shows_its_last_weeks_only():
    start = date(2024, 1, 1)

    weeks = week_ends(start, start + timedelta(weeks=100))

    assert len(weeks) == MAX_WEEKS
    assert weeks[-1][0] == 101 and weeks[0][0] == 101 - MAX_WEEKS + 1


class _Trunk:
    def __init__(self, pk):
        self.pk = pk


def _end(day):
    return datetime.combine(day, time.max, tzinfo=timezone.get_current_timezone())


def test_each_week_reads_each_members_latest_audit_by_its_end_and_each_member_counts_once():
    t1, t2 = _Trunk(1), _Trunk(2)
    monday = date(2026, 3, 2)
    saved = datetime.combine(monday, time(12), tzinfo=timezone.get_current_timezone())
    audits = {
        "ada": [(saved, {1: (2, 1)}), (saved + timedelta(days=7), {1: (12, 3), 2: (5, 1)})],
        "ben": [(saved + timedelta(days=8), {1: (8, 4)})],  # 2.0 from three times the ratings
    }
    ends = [(n, _end(monday + timedelta(days=7 * n - 1)), None) for n in (1, 2)]

    first, second = cohort_means(audits, [t1, t2], ends)

    assert first.means == (Decimal("2.0"), None)
    assert second.means == (Decimal("3.0"), Decimal("5.0"))  # (4 + 2) / 2, ada alone


def test_the_page_shows_weekly_means_by_trunk_in_a_chart_and_a_table(client):
    lead = make_lead()
    ada, ben = make_user("ada", display_name="Ada"), make_user("ben")
    cohort = make_cohort(lead, members=[ada, ben])
    cohort.starts_on = timezone.localdate() - timedelta(weeks=3)
    cohort.save()
    foundations = list(Skill.objects.filter(trunk__number=1))
    save_full_audit(ada, dict.fromkeys(foundations, 2), days_ago=20)
    save_full_audit(ada, dict.fromkeys(foundations, 4), days_ago=2)
    save_full_audit(ben, dict.fromkeys(foundations, 3), days_ago=2)
    client.force_login(lead)

    page = client.get(reverse("cohorts:cohort_over_time", args=[cohort.pk])).content.decode()

    assert 'id="cohort-over-time-chart"' in page and 'class="chart__line chart__line--0"' in page
    table = page.split('id="cohort-over-time-caption"')[1].split("</table>")[0]
    rows = table.split('<tr><th scope="row">')[1:]
    assert len(rows) == 4
    assert "<td>2.0</td>" in rows[0] or "<td>2.0</td>" in rows[1]
    assert rows[-1].split("</th>")[1].startswith("<td>3.5</td>")
    assert Trunk.objects.get(number=6).name in table


def test_before_any_full_audit_the_page_says_so_and_draws_nothing(client):
    lead = make_lead()
    cohort = make_cohort(lead, members=[make_user("ada")])
    client.force_login(lead)

    page = client.get(reverse("cohorts:cohort_over_time", args=[cohort.pk])).content.decode()

    assert "No member has saved a full audit yet." in page
    assert "cohort-over-time-chart" not in page


def test_failure_modes_are_counted_by_the_learners_own_rules(client):
    lead = make_lead()
    chasing = learner_chasing_hype(username="hiro")
    stuck = make_user("stuck")
    for skill in Skill.objects.filter(trunk__number=5)[:3]:
        ProgressFactory(user=stuck, skill=skill, learning_since=timezone.now() - timedelta(weeks=5))
    sprawling = make_user("sprawl")
    for trunk in Trunk.objects.all()[:4]:
        ProgressFactory(user=sprawling, skill=trunk.skills.first())
    cohort = make_cohort(lead, members=[chasing, stuck, sprawling, make_user("calm")])

    counts = {f.slug: f.members for f in cohort_over_time(cohort).failures}

    assert counts == {"tutorial-loop": 1, "trunk-sprawl": 1, "hype-substitution": 1}
    client.force_login(lead)
    page = client.get(reverse("cohorts:cohort_over_time", args=[cohort.pk])).content.decode()
    assert "Hype substitution" in page and "the cohort’s 4 members" in page


def test_someone_who_does_not_lead_the_cohort_gets_a_404(client):
    cohort = make_cohort(make_lead())
    client.force_login(make_lead("other"))

    assert client.get(reverse("cohorts:cohort_over_time", args=[cohort.pk])).status_code == 404


# session, user, cohort, nav, members, ratings per audit and trunk, progress counts, and hype
# substitution's three; the curriculum's trunks, skills, tracks and failure modes are kept
OVER_TIME_QUERIES = 10


@pytest.mark.parametrize("size", [5, 200])
def test_the_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries, size):
    lead = make_lead()
    cohort = bulk_cohort(lead, size)
    cohort.starts_on = timezone.localdate() - timedelta(weeks=12)
    cohort.save()
    client.force_login(lead)
    url = reverse("cohorts:cohort_over_time", args=[cohort.pk])
    client.get(url)  # the curriculum's reads are kept

    with django_assert_num_queries(OVER_TIME_QUERIES):
        page = client.get(url).content.decode()

    assert page.count('<tr><th scope="row">Week') == 13
