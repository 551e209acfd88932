"""The lead's cohort page: heatmap figures, sorting, the six-week filter, counts, query budget."""

import csv
import io
import re
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urljoin

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Audit, Progress
from cohorts.heatmap import PER_PAGE, cohort_grid
from curriculum.models import Skill, Track, Trunk
from pages import bump_curriculum, bump_learner
from tests.factories import (
    bulk_cohort,
    claim_test,
    lead_with_cohort,
    make_cohort,
    make_lead,
    make_user,
    save_full_audit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort():
    """Ada audited recently (Foundations: an old audit of 5s, then a 4 and a 2);
    Ben audited ten weeks ago; Cy never audited."""
    lead = make_lead()
    tracks = list(Track.objects.all())
    ada = make_user("ada", display_name="Ada", target_track=tracks[1])
    ben = make_user("ben", display_name="Ben", target_track=tracks[0])
    cy = make_user("cy", display_name="Cy")
    foundations = list(Trunk.objects.get(number=1).skills.all())
    save_full_audit(ada, dict.fromkeys(foundations, 5), days_ago=100)
    save_full_audit(ada, {foundations[0]: 4, foundations[1]: 2}, days_ago=3)
    save_full_audit(ben, {foundations[0]: 1}, days_ago=70)
    claim_test(ada, foundations[0])
    claim_test(ada, foundations[1], review=Progress.Review.VERIFIED)
    Progress.objects.create(user=ben, skill=foundations[2], status="learning")
    return make_cohort(lead, members=[ada, ben, cy])


def names(grid):
    return [row.learner.shown_name for row in grid.rows]


def test_a_cell_is_the_mean_of_the_latest_full_audit_in_the_trunk(cohort):
    grid = cohort_grid(cohort)
    ada = grid.rows[0]
    assert ada.learner.username == "ada"
    foundations = ada.cells[0]
    assert foundations.mean == Decimal("3.0")
    assert foundations.rated == 2
    assert foundations.total == Trunk.objects.get(number=1).skills.count()
    assert all(cell.mean is None for cell in ada.cells[1:])


def test_a_learner_without_an_audit_is_unrated_not_zero(cohort):
    cy = cohort_grid(cohort).rows[2]
    assert cy.learner.username == "cy"
    assert all(cell.mean is None and cell.rated == 0 for cell in cy.cells)
    assert cy.last_audit_at is None
    assert cy.stale


def test_skills_view_has_one_column_per_skill_grouped_by_trunk(cohort):
    grid = cohort_grid(cohort, columns="skills")
    assert len(grid.columns) == Skill.objects.count()
    assert [group.trunk.number for group in grid.groups] == [1, 2, 3, 4, 5, 6]
    assert sum(group.span for group in grid.groups) == len(grid.columns)
    ada = grid.rows[0]
    assert [cell.mean for cell in ada.cells[:3]] == [Decimal("4.0"), Decimal("2.0"), None]


def test_counts_at_the_top(cohort):
    assert cohort_grid(cohort).counts == {
        "members": 3,
        "audited_recently": 1,
        "tests_passed": 2,
        "evidence_waiting": 1,
    }


def test_sort_by_last_audit_puts_the_never_audited_first_then_the_oldest(cohort):
    assert names(cohort_grid(cohort, sort="last_audit")) == ["Cy", "Ben", "Ada"]


def test_sort_by_target_track_puts_no_track_last(cohort):
    assert names(cohort_grid(cohort, sort="track")) == ["Ben", "Ada", "Cy"]


def test_filter_to_learners_not_audited_in_six_weeks(cohort):
    grid = cohort_grid(cohort, stale_only=True)
    assert names(grid) == ["Ben", "Cy"]
    assert grid.counts["members"] == 3


def test_stuck_is_the_learners_own_tutorial_loop_rule(cohort):
    """Three skills "learning" for over three weeks, no test passed since: the same rule as the
    learner's tutorial-loop warning, so the lead and the learner never disagree."""
    now = timezone.now()
    ben, cy = make_user("ben2"), make_user("cy2")
    cohort.members.add(ben, cy)
    for user, count in [(ben, 3), (cy, 2)]:
        Progress.objects.bulk_create(
            Progress(
                user=user, skill=skill, status="learning", learning_since=now - timedelta(weeks=4)
            )
            for skill in Skill.objects.all()[:count]
        )
    rows = {row.learner.username: row for row in cohort_grid(cohort, now=now).rows}
    assert rows["ben2"].stuck
    assert not rows["cy2"].stuck
    assert not rows["ada"].stuck

    Progress.objects.create(
        user=ben,
        skill=Skill.objects.last(),
        status="test_passed",
        passed_at=now - timedelta(days=2),
        evidence_url="https://example.com/proof",
    )
    rows = {row.learner.username: row for row in cohort_grid(cohort, now=now).rows}
    assert not rows["ben2"].stuck

    Progress.objects.filter(user=ben, status="test_passed").update(review="needs_work")
    rows = {row.learner.username: row for row in cohort_grid(cohort, now=now).rows}
    assert rows["ben2"].stuck, "a test a lead said needs work is not passed: still stuck"


def test_the_page_prints_each_number_and_marks_unrated_in_words(client, cohort):
    client.force_login(cohort.leads.get())
    page = client.get(cohort.get_absolute_url()).content.decode()
    assert '<td class="lv3">3.0<small>2/' in page
    assert '<td class="lv0"><i>unrated</i></td>' in page
    assert "Audited in the last six weeks" in page
    assert "never" in page


def test_each_learners_name_on_the_heatmap_opens_their_page(client, cohort):
    client.force_login(cohort.leads.get())
    url = cohort.get_absolute_url()
    page = client.get(url).content.decode()
    links = re.findall(r'<th scope="row"><a href="([^"]*)">([^<]*)</a>', page)
    assert [name for _href, name in links] == ["Ada", "Ben", "Cy"]
    for href, name in links:
        learner_page = client.get(urljoin(url, href))
        assert learner_page.status_code == 200
        assert f"<h1>{name}" in learner_page.content.decode()


def test_in_the_skills_view_a_rated_cell_is_the_skills_rating_with_no_share_of_a_column(
    client, cohort
):
    client.force_login(cohort.leads.get())
    page = client.get(cohort.get_absolute_url(), {"view": "skills"}).content.decode()
    assert '<td class="lv4">4</td><td class="lv2">2</td>' in page.split('id="heatmap"')[1]


def test_the_page_switches_to_skills_and_filters(client, cohort):
    client.force_login(cohort.leads.get())
    url = cohort.get_absolute_url()
    page = client.get(url, {"view": "skills", "stale": "1", "sort": "last_audit"}).content.decode()
    first_skill = Skill.objects.first()
    assert first_skill.name in page
    assert "Ada" not in page.split('id="heatmap"')[1]
    assert page.index(">Cy<") < page.index(">Ben<")


def test_an_htmx_request_gets_only_the_heatmap(client, cohort):
    client.force_login(cohort.leads.get())
    response = client.get(
        cohort.get_absolute_url(),
        {"view": "skills"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="heatmap",
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="heatmap"')
    assert "<html" not in html


@pytest.mark.parametrize("bad", [{"view": "everything"}, {"sort": "password"}, {"stale": "yes"}])
def test_unknown_options_fall_back_to_the_defaults(client, cohort, bad):
    client.force_login(cohort.leads.get())
    assert client.get(cohort.get_absolute_url(), bad).status_code == 200


# Query budget: the same number of queries for 5 or 500 learners.

# The session and its user are two queries (Django's own), and whether the lead leads a cohort
# one more where the navigation asks.
# session, user, cohort, members' pks, members, progress, columns, ratings, nav, and hype
# substitution's recent progress, recent notes and ratings
HEATMAP_QUERIES = 12
# The first view also reads the current skills and the tracks hype substitution reads (one and
# three queries), then kept with the curriculum for the other view
HYPE_CURRICULUM_READS = 4
HEATMAP_QUERIES_AFTER_A_CHANGE = 11  # the columns come from the curriculum's cache
# session, user, cohort, members' pks (the fragments' version), and whether they lead for the nav
# (rendered around the kept fragments: a kept whole page skipped it)
HEATMAP_QUERIES_CACHED = 5
EXPORT_QUERIES = 7  # session, user, cohort, skills, learners, ratings, progress
ROW = '<tr><th scope="row">'


def unmasked(html):
    """The page without its CSRF token, masked afresh on every response."""
    return re.sub(r"[A-Za-z0-9]{64}", "", html)


@pytest.fixture
def caches_holding_every_version(settings):
    """Local-memory caches roomy enough for a 500-member cohort's versions: Django's default of
    300 entries culls them, and a page keyed on a culled version is never kept."""
    settings.CACHES = {
        alias: {**config, "OPTIONS": {**config.get("OPTIONS", {}), "MAX_ENTRIES": 10_000}}
        for alias, config in settings.CACHES.items()
    }


@pytest.mark.parametrize("size", [5, pytest.param(500, marks=pytest.mark.large)])
def test_cohort_page_and_export_queries_do_not_grow_with_the_cohort(
    client, django_assert_num_queries, size, caches_holding_every_version
):
    lead = make_lead()
    cohort = bulk_cohort(lead, size)
    client.force_login(lead)
    for view in ("trunks", "skills"):
        query = {"view": view, "sort": "last_audit"}
        first = HYPE_CURRICULUM_READS if view == "trunks" else 0
        with django_assert_num_queries(HEATMAP_QUERIES + first):
            response = client.get(cohort.get_absolute_url(), query)
        page = response.content.decode()
        assert page.count(ROW) == min(size, PER_PAGE[view])
        assert f"{size} learners × " in page
        with django_assert_num_queries(HEATMAP_QUERIES_CACHED):
            again = client.get(cohort.get_absolute_url(), query).content.decode()
        assert unmasked(again) == unmasked(page)
        bump_learner(cohort.members.first().pk)
        with django_assert_num_queries(HEATMAP_QUERIES_AFTER_A_CHANGE):
            client.get(cohort.get_absolute_url(), query)
    with django_assert_num_queries(EXPORT_QUERIES):
        response = client.get(reverse("cohorts:cohort_export", args=[cohort.pk]))
        body = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert len(rows) == 1 + size * Skill.objects.count()


@pytest.mark.parametrize("size", [2, 6])
def test_the_export_names_each_learners_target_track_in_the_same_queries_at_any_size(
    client, django_assert_num_queries, size
):
    lead = make_lead()
    track = Track.objects.first()
    members = [make_user(f"tracked{i}", target_track=track) for i in range(size)]
    for member in members:
        save_full_audit(member, {Skill.objects.first(): 3})
    client.force_login(lead)
    url = reverse("cohorts:cohort_export", args=[make_cohort(lead, members=members).pk])
    with django_assert_num_queries(EXPORT_QUERIES):
        body = b"".join(client.get(url).streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body)))[1:]
    assert len(rows) == size * Skill.objects.count()
    assert {row[3] for row in rows} == {track.name}


HTML_BUDGET = 150 * 1024


@pytest.mark.large
def test_a_cohort_of_500_fits_the_html_budget_with_every_learner_a_page_away(client):
    """Issue 11: at most 150 KB of HTML per page of the heatmap; the learners past the first
    page come with the next page's rows (a link, or htmx), and none is lost or repeated."""
    lead = lead_with_cohort(500)
    cohort = lead.led_cohorts.get()
    client.force_login(lead)
    url = cohort.get_absolute_url()
    seen = []
    page = client.get(url, {"sort": "last_audit"}).content.decode()
    assert len(page.encode()) <= HTML_BUDGET
    assert page.count("no audit in 6 weeks") > 1
    seen += re.findall(r'<th scope="row"><a href="[^"]+/learners/(\d+)/', page)
    while 'id="heatmap-more"' in page:
        next_url = re.search(r'id="heatmap-more".*?href="([^"]+)"', page).group(1)
        page = client.get(
            next_url.replace("&amp;", "&"), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="heatmap-more"
        ).content.decode()
        assert "<html" not in page
        assert page.lstrip().startswith(ROW)
        seen += re.findall(r'<th scope="row"><a href="[^"]+/learners/(\d+)/', page)
    assert sorted(map(int, seen)) == sorted(cohort.members.values_list("pk", flat=True))
    last_audits = [
        row.last_audit_at for row in cohort_grid(cohort, sort="last_audit", page_number=3).rows
    ]
    assert last_audits == sorted(last_audits)

    skills = client.get(url, {"view": "skills"}).content.decode()
    assert len(skills.encode()) <= HTML_BUDGET
    assert skills.count(ROW) == PER_PAGE["skills"]


def test_without_javascript_the_pages_link_to_each_other(client):
    lead = make_lead()
    cohort = bulk_cohort(lead, PER_PAGE["skills"] + 3)
    client.force_login(lead)
    url = cohort.get_absolute_url()
    first = client.get(url, {"view": "skills", "sort": "track"}).content.decode()
    assert '?view=skills&amp;sort=track&amp;page=2"' in first
    second = client.get(url, {"view": "skills", "sort": "track", "page": "2"}).content.decode()
    assert second.count(ROW) == 3
    assert '?view=skills&amp;sort=track&amp;page=1"' in second
    assert 'id="heatmap-more"' not in second
    for bad in ("0", "999", "x"):
        assert client.get(url, {"page": bad}).status_code == 200
    assert client.get(url, {"page": "\x00"}).status_code == 400  # refused before the view


# 25 when the session was read with its user and whether they lead; three for the path's
# phases with what they teach (their trunks, skills and free resources); one for the notes
# changed lately (hype substitution); one for the curriculum's re-check months (then kept)
LEARNER_QUERIES = 32


@pytest.mark.parametrize("audits", [1, 30])
def test_learner_page_queries_do_not_grow_with_the_audits(
    client, django_assert_num_queries, audits
):
    lead = make_lead()
    learner = make_user("ada", target_track=Track.objects.last())
    cohort = make_cohort(lead, members=[learner])
    skills = list(Skill.objects.all())
    for days in range(audits):
        save_full_audit(learner, dict.fromkeys(skills, 1 + days % 5), days_ago=days + 1)
    for skill in skills[:10]:
        claim_test(learner, skill)
    client.force_login(lead)
    url = reverse("cohorts:cohort_learner", args=[cohort.pk, learner.pk])
    with django_assert_num_queries(LEARNER_QUERIES):
        response = client.get(url)
    assert response.status_code == 200


def test_learner_page_shows_audits_progress_and_evidence(client, cohort):
    lead = cohort.leads.get()
    ada = cohort.members.get(username="ada")
    client.force_login(lead)
    page = client.get(reverse("cohorts:cohort_learner", args=[cohort.pk, ada.pk])).content
    page = page.decode()
    assert "How the audits moved" in page
    assert f"Ada’s gap to {ada.target_track.name}" in page  # the dashboard's own partial
    assert "Ada’s level per bucket, " in page  # then and now, from the dashboard
    assert Audit.objects.filter(user=ada).count() == 2
    assert "https://github.com/example/proof" in page
    assert "self-rated 4" in page
    assert "test verified" in page
    assert "waiting for review" in page


def test_two_audits_saved_at_the_same_moment_the_one_saved_last_stands(cohort, client):
    """One tie-breaker everywhere: the latest saved_at, then the later audit (pk)."""
    from assessments.gaps import read_levels

    ada = cohort.members.get(username="ada")
    foundations = list(Trunk.objects.get(number=1).skills.all())
    first = save_full_audit(ada, {foundations[0]: 1}, days_ago=0)
    second = save_full_audit(ada, {foundations[0]: 5}, days_ago=0)
    Audit.objects.filter(pk=first.pk).update(saved_at=second.saved_at)

    assert Audit.objects.latest_full().filter(user=ada).first() == second
    assert read_levels(ada).audit == second
    assert cohort_grid(cohort).rows[0].cells[0].mean == Decimal("5.0")
    client.force_login(cohort.leads.get())
    page = client.get(reverse("cohorts:cohort_learner", args=[cohort.pk, ada.pk]))
    assert page.context["latest_audit"] == second


def _learner_page(client, cohort, username):
    learner = cohort.members.get(username=username)
    client.force_login(cohort.leads.get())
    url = reverse("cohorts:cohort_learner", args=[cohort.pk, learner.pk])
    return client.get(url).content.decode()


def test_the_learner_page_speaks_of_the_learner_not_to_the_lead(client, cohort):
    """Cy never audited, chose no track and set no path start: the lead reads about Cy."""
    foundations = list(Trunk.objects.get(number=1).skills.all())
    save_full_audit(cohort.members.get(username="cy"), {foundations[0]: 2}, days_ago=1)

    page = _learner_page(client, cohort, "cy")

    assert "Cy has not set a target track" in page
    assert "Cy has not set the date they started the path." in page
    assert "Cy’s full audit of" in page
    assert "is their first, so there is nothing before it to compare" in page
    assert '<th scope="col">Cy</th>' in page
    for second_person in ("You have not set", "your gap", "your ratings", "Your path"):
        assert second_person not in page


def test_the_ladder_counts_its_levels_from_the_curriculum(client, cohort):
    from curriculum.models import LadderLevel

    levels = LadderLevel.objects.count()
    assert f'<span class="small muted"> of {levels}</span>' in _learner_page(client, cohort, "ada")
    LadderLevel.objects.create(number=levels + 1, name="Beyond", slug="beyond", what_it_is="x")
    bump_curriculum()  # as the admin's save does
    page = _learner_page(client, cohort, "ada")
    assert f'<span class="small muted"> of {levels + 1}</span>' in page
