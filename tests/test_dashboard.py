import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from curriculum.models import Bucket, Resource, Skill, Track, Trunk
from pages import bump_curriculum, bump_learner
from tests.factories import (
    AuditFactory,
    ProgressFactory,
    ResourceFactory,
    SkillFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

URL = "/dashboard/"
RESEARCH_SKILLS = [
    "reading-academic-papers",
    "evaluation-and-metrics",
    "cross-validation-and-leakage",
    "causal-thinking",
    "scaling-and-efficiency",
]


def _row(html, heading):
    """The text of the table row whose header cell is `heading`, tags stripped."""
    match = re.search(
        rf'<tr[^>]*>\s*<th scope="row">\s*{re.escape(heading)}\s*</th>(.*?)</tr>', html, re.S
    )
    assert match, f"no row {heading!r}"
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def _section(html, heading_id):
    start = html.index(f'id="{heading_id}"')
    end = html.find("</section>", start)
    return html[start:end]


@pytest.fixture
def aiming_learner(learner):
    learner.target_track = Track.objects.get(slug="research-scientist")
    learner.save()
    return learner


def _get(client, user, url=URL, **extra):
    client.force_login(user)
    response = client.get(url, **extra)
    assert response.status_code == 200
    return response.content.decode()


def test_dashboard_is_at_its_address():
    assert reverse("assessments:dashboard") == URL


def test_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={URL}"


def test_learner_without_an_audit_is_asked_to_take_the_first_one(client, aiming_learner):
    html = _get(client, aiming_learner)

    assert "Start with an honest baseline" in html
    assert "a “2” you admit is a “2” we can fix in six weeks" in html
    assert "<svg" not in html
    assert "Fit to each track" not in html


def test_bucket_figures_show_in_the_chart_and_the_table(client, aiming_learner):
    AuditFactory(user=aiming_learner, ratings=dict.fromkeys(RESEARCH_SKILLS, 3))

    html = _get(client, aiming_learner)

    assert "Your gap to Research Scientist" in html
    gap = _section(html, "gap-heading")
    assert 'role="img" aria-labelledby="gap-chart-title gap-chart-desc"' in gap
    assert (
        '<title id="gap-chart-title">Your level per bucket against Research Scientist</title>'
        in gap
    )
    assert "you 3.0 · needs 5.0" in gap
    assert _row(gap, "Research") == "3.0 (5 rated) 5.0 · Very high 2.0 short"
    assert _row(gap, "Technical") == "not rated 4.0 · High –"
    assert "Deep learning" in gap  # depth trunk
    assert "Foundations" in gap and "ML fundamentals" in gap  # literacy trunks


def test_pages_have_no_inline_styles_or_scripts(client, aiming_learner):
    AuditFactory(user=aiming_learner, ratings=dict.fromkeys(RESEARCH_SKILLS, 2), days_ago=80)
    AuditFactory(user=aiming_learner, ratings=dict.fromkeys(RESEARCH_SKILLS, 3), days_ago=50)

    html = _get(client, aiming_learner)

    assert "style=" not in html
    assert "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_three_next_skills_with_their_free_resources(client, aiming_learner):
    AuditFactory(user=aiming_learner, ratings={"evaluation-and-metrics": 1, "causal-thinking": 2})
    first = Resource.objects.current().filter(skill__slug="scaling-and-efficiency").first()

    html = _get(client, aiming_learner)

    advice = _section(html, "next-heading")
    names = re.findall(r'<h3><a href="/skills/([^/]+)/">', advice)
    # Research is "Very high": the depth trunk's research skill first, then the rated literacy
    # skills, biggest gap first.
    assert names == ["scaling-and-efficiency", "evaluation-and-metrics", "causal-thinking"]
    assert f'href="{first.url}"' in advice
    assert "Rated 1 in the latest audit." in advice


def test_next_skills_name_only_the_current_resource_rows_not_the_seeds_text(client, aiming_learner):
    """The Resource rows are the one source: a curator's retired row disappears from the advice,
    and the seed's "Free:" line does not stand in for it."""
    AuditFactory(user=aiming_learner, ratings={"evaluation-and-metrics": 1, "causal-thinking": 2})
    skill = Skill.objects.get(slug="scaling-and-efficiency")
    retired = list(Resource.objects.current().filter(skill=skill, is_free=True))
    Resource.objects.filter(pk__in=[r.pk for r in retired]).update(retired=True)
    bump_curriculum()

    advice = _section(_get(client, aiming_learner), "next-heading")
    card = advice[advice.index('href="/skills/scaling-and-efficiency/"') :]
    card = card[: card.index("</li>")]

    assert skill.free_resource and skill.free_resource not in card
    assert all(resource.url not in card for resource in retired)
    assert "none listed yet" in card


def test_every_track_is_ranked_by_fit(client, aiming_learner):
    by_bucket = {"technical": 2, "research": 2, "communication": 5, "domain": 3}
    AuditFactory(
        user=aiming_learner,
        ratings={s.slug: by_bucket[s.bucket.slug] for s in Skill.objects.select_related("bucket")},
    )

    html = _get(client, aiming_learner)

    fit = _section(html, "fit-heading")
    tracks = re.findall(r'data-hx-push-url="true">([^<]+)</a>', fit)
    assert len(tracks) == Track.objects.count()
    assert tracks[0] == "Field-building and Comms"
    target_row = re.search(r'<tr class="is-target">(.*?)</tr>', fit, re.S).group(1)
    assert "Research Scientist" in target_row and "your target" in target_row


def test_then_and_now_compares_the_two_latest_audits(client, aiming_learner):
    AuditFactory(user=aiming_learner, ratings=dict.fromkeys(RESEARCH_SKILLS, 1), days_ago=90)
    AuditFactory(user=aiming_learner, ratings=dict.fromkeys(RESEARCH_SKILLS, 2), days_ago=40)
    AuditFactory(
        user=aiming_learner, ratings={**dict.fromkeys(RESEARCH_SKILLS, 2), "causal-thinking": 4}
    )

    html = _get(client, aiming_learner)

    history = _section(html, "then-now-heading")
    assert 'aria-labelledby="then-now-chart-title then-now-chart-desc"' in history
    assert _row(history, "Research") == "2.0 2.4 +0.4"
    assert "1 skill rating moved" in history
    assert _row(history, '<a href="/skills/causal-thinking/">Causal thinking</a>') == "2 4"


def test_reminder_when_the_last_audit_is_over_six_weeks_old(client, aiming_learner):
    AuditFactory(user=aiming_learner, ratings=dict.fromkeys(RESEARCH_SKILLS, 3), days_ago=45)

    html = _get(client, aiming_learner)

    assert "Time to audit again" in html
    assert "6 weeks ago" in html
    assert "a “2” you admit is a “2” we can fix in six weeks" in html


def test_no_reminder_for_a_recent_audit(client, aiming_learner):
    AuditFactory(user=aiming_learner, ratings=dict.fromkeys(RESEARCH_SKILLS, 3), days_ago=41)

    assert "Time to audit again" not in _get(client, aiming_learner)


def test_trunk_sprawl_warning_quotes_the_seed(client, aiming_learner):
    for trunk in Trunk.objects.all()[:4]:
        ProgressFactory(user=aiming_learner, skill=trunk.skills.first())

    html = _get(client, aiming_learner)

    warnings = _section(html, "warnings-heading")
    assert "Trunk sprawl" in warnings
    assert "Skills “learning” in 4 trunks at once." in warnings
    assert "Pick one, then borrow from two." in warnings
    assert "Tutorial loop" not in warnings


def test_tutorial_loop_warning_quotes_the_seed(client, aiming_learner):
    weeks_ago = timezone.now() - timedelta(weeks=4)
    for skill in Trunk.objects.get(number=1).skills.all()[:3]:
        ProgressFactory(user=aiming_learner, skill=skill, learning_since=weeks_ago)

    warnings = _section(_get(client, aiming_learner), "warnings-heading")

    assert "Tutorial loop" in warnings
    assert "Watching one more course instead of building one more thing." in warnings
    assert "Trunk sprawl" not in warnings


def test_no_warnings_without_the_data_for_them(client, aiming_learner):
    assert "Watch out" not in _get(client, aiming_learner)


def test_learner_without_a_track_is_sent_to_pick_one(client, learner):
    AuditFactory(user=learner, ratings=dict.fromkeys(RESEARCH_SKILLS, 3))

    html = _get(client, learner)

    assert "Pick a target track" in html
    assert (
        f'href="{reverse("curriculum:tracks")}#aim-for-a-track">Choose your target track</a>'
        in html
    )
    assert "Work on next" not in html
    assert "Fit to each track" in html


def test_learner_sees_only_their_own_data(client, aiming_learner):
    other = UserFactory(username="bo")
    AuditFactory(user=other, ratings=dict.fromkeys(RESEARCH_SKILLS, 5))
    ProgressFactory(user=other, skill=Skill.objects.first())

    html = _get(client, aiming_learner)

    assert "Start with an honest baseline" in html
    assert "you 5.0" not in html


def test_preview_another_track_and_htmx_gets_only_that_part(client, aiming_learner):
    AuditFactory(user=aiming_learner, ratings=dict.fromkeys(RESEARCH_SKILLS, 3))

    full = _get(client, aiming_learner, URL + "?track=applied-and-product-ml")
    part = _get(
        client, aiming_learner, URL + "?track=applied-and-product-ml", HTTP_HX_REQUEST="true"
    )

    assert "Your gap to Applied and Product ML" in full
    assert "<html" in full
    assert "Your gap to Applied and Product ML" in part
    assert "<html" not in part
    assert part.lstrip().startswith('<div id="track-view">')
    assert _row(part, "Research") == "3.0 (5 rated) 2.0 · Low met"


def test_unknown_track_gives_404(client, aiming_learner):
    client.force_login(aiming_learner)

    assert client.get(URL + "?track=astrology").status_code == 404


def _fill(user, audits, extra_skills):
    extra = SkillFactory.create_batch(
        extra_skills, trunk=Trunk.objects.first(), bucket=Bucket.objects.get(slug="research")
    )
    for skill in extra:
        ResourceFactory(skill=skill)
    skills = list(Skill.objects.all())
    for n in range(audits):
        AuditFactory(
            user=user, ratings={s.slug: 1 + (n + i) % 5 for i, s in enumerate(skills)}, days_ago=n
        )
    AuditFactory(user=user, quick=True, answers={1: 3, 2: 3, 3: 3, 4: 3, 5: 3})
    five_weeks_ago = timezone.now() - timedelta(weeks=5)
    for i, skill in enumerate(skills[: len(skills) // 2]):
        ProgressFactory(user=user, skill=skill, passed=not i % 2, learning_since=five_weeks_ago)


def without_csrf_tokens(html):
    return re.sub(r"[A-Za-z0-9]{64}", "", html)


# 16 (the session and its user, whether they lead for the nav), the reviews of the learner's
# evidence (cohorts), and the bars rated against (history); two fewer when the session was read
# with its user and whether they lead; three more for the path's phases with what each teaches
# (their trunks, those trunks' skills and free resources: curriculum.cache.path_phases); one for
# the notes changed lately (hype substitution); one more on every request for whether their
# email is verified (its notice sits outside the kept fragment, as the email question does); one
# for the curriculum's re-check months (kept with the curriculum after)
DASHBOARD_QUERIES = 26
# Once the curriculum's reads are kept (pages.kept): the learner's own rows only
# (the eighth: the ratings' bars, assessments.history; the eleventh: notes changed lately), and
# whether their email is verified.
DASHBOARD_QUERIES_CACHED = 12
# Once the page's body is kept too (the dashboard's {% cache %} fragment): the session and its
# user, and whether they lead (the nav, outside the fragment); whether their email is verified
# is kept beside the fragment (pages.kept_beside).
DASHBOARD_QUERIES_WARM = 3


@pytest.mark.parametrize("audits,extra_skills", [(2, 0), (15, 60)])
def test_dashboard_runs_a_fixed_number_of_queries(
    client, aiming_learner, audits, extra_skills, django_assert_num_queries
):
    _fill(aiming_learner, audits, extra_skills)
    client.force_login(aiming_learner)

    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Then and now" in html and "Work on next" in html
    bump_learner(aiming_learner.pk)  # a change of theirs: their page is computed again
    with django_assert_num_queries(DASHBOARD_QUERIES_CACHED):
        again = client.get(URL).content.decode()
    assert without_csrf_tokens(again) == without_csrf_tokens(html)
    with django_assert_num_queries(DASHBOARD_QUERIES_WARM):
        warm = client.get(URL).content.decode()
    assert without_csrf_tokens(warm) == without_csrf_tokens(html)


def test_sections_render_alone_for_another_page_without_the_learners_links(aiming_learner):
    from django.template.loader import render_to_string

    from assessments.standing import standing_for

    AuditFactory(user=aiming_learner, ratings=dict.fromkeys(RESEARCH_SKILLS, 3))
    context = {"standing": standing_for(aiming_learner, subject="Ada"), "links": {}}

    gap = render_to_string("assessments/dashboard.html#gap", context)
    advice = render_to_string("assessments/dashboard.html#next-skills", context)

    assert "<svg" in gap and _row(gap, "Research") == "3.0 (5 rated) 5.0 · Very high 2.0 short"
    assert "Ada’s gap to Research Scientist" in gap
    assert "Ada’s level per bucket against Research Scientist</title>" in gap
    assert "Change your target track" not in gap
    assert "scaling-and-efficiency" in advice
    assert "/progress/skills/" not in advice


def test_ladder_level_and_path_week_show_with_links(client, aiming_learner):
    from curriculum.models import PathPhase

    aiming_learner.path_started_on = timezone.localdate() - timedelta(weeks=4, days=1)
    aiming_learner.save()
    phase = PathPhase.objects.get(start_week__lte=5, end_week__gte=5)

    html = _get(client, aiming_learner)

    cards = _section(html, "ladder-path-heading")
    assert "Week 5" in cards
    assert phase.name in cards
    assert phase.end_state in cards
    assert "Level 0" in cards
    assert reverse("assessments:my_ladder") in cards
    assert reverse("assessments:my_path") in cards


def test_a_requirement_label_with_brackets_is_not_bracketed_twice(client, learner):
    learner.target_track = Track.objects.get(name="Policy and Governance")
    learner.save()
    communication = Skill.objects.filter(bucket__short_name="Communication")
    AuditFactory(
        user=learner,
        ratings={**dict.fromkeys(RESEARCH_SKILLS, 2), **{s.slug: 5 for s in communication}},
    )

    html = _get(client, learner)

    assert "(High (analysis))" not in html
    gap = _section(html, "gap-heading")
    assert _row(gap, "Research") == "2.0 (5 rated) 4.0 · High (analysis) 2.0 short"
    assert "Research needs 4.0 — High (analysis)." in html
