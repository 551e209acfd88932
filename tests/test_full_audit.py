import re

import factory
import pytest
from django.urls import reverse
from django.utils.html import escape
from django.utils.text import capfirst

from assessments import audits as audit_logic
from assessments.models import Audit, Rating
from curriculum.models import Bucket, Skill, Trunk
from pages import bump_curriculum, bump_learner
from tests.factories import AuditFactory, RatingFactory, SkillFactory, TrunkFactory
from tests.html_inputs import checked_value, inputs

pytestmark = pytest.mark.django_db

AUDIT = reverse("assessments:audit")


def rate_url(audit):
    return reverse("assessments:rate", args=[audit.pk])


def save_url(audit):
    return reverse("assessments:save_audit", args=[audit.pk])


def detail_url(audit):
    return reverse("assessments:audit_detail", args=[audit.pk])


def skill(slug_or_position):
    if isinstance(slug_or_position, int):
        return Skill.objects.all()[slug_or_position]
    return Skill.objects.get(slug=slug_or_position)


def database_state():
    """Everything the audit views could write, to compare before and after a refused request."""
    return (
        sorted(Audit.objects.values_list("pk", "user_id", "kind", "saved_at")),
        sorted(Rating.objects.values_list("audit_id", "skill_id", "value")),
    )


@pytest.fixture(autouse=True)
def _six_skills(small_curriculum):
    """The audit's behaviour, on two trunks of three skills instead of the seed."""


@pytest.fixture
def draft(learner_client, learner):
    learner_client.get(AUDIT)
    return Audit.objects.drafts().get(user=learner, kind=Audit.Kind.FULL)


@pytest.fixture
def saved(learner):
    """A saved full audit of the learner: first skill 2, second skill 4."""
    return AuditFactory(user=learner, ratings={skill(0): 2, skill(1): 4})


def htmx_rate(client, audit, skill_obj, value):
    return client.post(
        rate_url(audit), {f"rating-{skill_obj.pk}": value}, headers={"HX-Request": "true"}
    )


def ratings_url(audit):
    return reverse("assessments:audit_ratings", args=[audit.pk])


# Who may do what


@pytest.mark.parametrize(
    "name, method",
    [
        ("assessments:audit", "get"),
        ("assessments:audit_history", "get"),
    ],
)
def test_anonymous_visitor_is_sent_to_log_in(client, settings, name, method):
    settings.LOGIN_URL = "/accounts/login/"
    response = getattr(client, method)(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert not Audit.objects.exists()


def test_anonymous_rating_and_saving_change_nothing(client, settings, learner):
    settings.LOGIN_URL = "/accounts/login/"
    audit = AuditFactory(user=learner, draft=True)
    before = database_state()
    assert client.post(rate_url(audit), {f"rating-{skill(0).pk}": "3"}).status_code == 302
    assert client.post(save_url(audit)).status_code == 302
    assert database_state() == before


def test_learner_cannot_see_other_learners_audit(client, other_learner, saved):
    client.force_login(other_learner)
    assert client.get(detail_url(saved)).status_code == 404


def test_learner_cannot_rate_or_save_other_learners_draft(client, learner, other_learner):
    theirs = AuditFactory(user=learner, draft=True, ratings={skill(0): 2})
    client.force_login(other_learner)
    before = database_state()

    assert client.post(rate_url(theirs), {f"rating-{skill(0).pk}": "5"}).status_code == 404
    assert htmx_rate(client, theirs, skill(0), "5").status_code == 404
    assert htmx_rate(client, theirs, skill(0), "").status_code == 404, "clearing theirs"
    assert htmx_rate(client, theirs, skill(1), "9").status_code == 404, "bad input to theirs"
    both = {f"rating-{skill(0).pk}": "1", f"rating-{skill(1).pk}": "1"}
    assert client.post(rate_url(theirs), both).status_code == 404, "the whole form"
    assert client.post(save_url(theirs)).status_code == 404
    assert htmx_rate(client, Audit(pk=987654321), skill(0), "5").status_code == 404, "nobody's"
    assert database_state() == before


def test_history_lists_only_the_learners_own_saved_audits(
    learner_client, other_learner, saved, learner
):
    theirs = AuditFactory(user=other_learner)
    AuditFactory(user=learner, quick=True)
    html = learner_client.get(reverse("assessments:audit_history")).content.decode()
    assert detail_url(saved) in html
    assert detail_url(theirs) not in html
    assert "2 of 6 skills" in html
    assert "Quick audit" in html and "Full audit" in html


# The audit page


def test_first_visit_creates_one_draft_with_every_skill_unrated(learner_client, learner):
    html = learner_client.get(AUDIT).content.decode()
    assert Audit.objects.drafts().filter(user=learner).count() == 1
    assert not Rating.objects.exists()
    assert "<strong>0</strong> of 6 rated" in html
    for trunk in Trunk.objects.all():
        assert f"Trunk {trunk.number}: {trunk.name}" in html
    for each in Skill.objects.all():
        radios = inputs(html, f"rating-{each.pk}")
        assert [r["value"] for r in radios] == ["", "1", "2", "3", "4", "5"]
        assert all(r["type"] == "radio" and f'for="{r["id"]}"' in html for r in radios)
        assert checked_value(html, f"rating-{each.pk}") == ""
        assert f"Your rating for {each.name}</legend>" in html
        assert escape(capfirst(each.mastery)) in html
        assert escape(capfirst(each.test)) in html
    assert html.count("<fieldset") == 6


def test_visiting_again_reuses_the_draft(learner_client, learner):
    learner_client.get(AUDIT)
    learner_client.get(AUDIT)
    assert Audit.objects.filter(user=learner).count() == 1


def test_a_draft_made_by_another_request_meanwhile_is_reused(learner, monkeypatch):
    """Two tabs opening the audit at once: the loser of the race takes the winner's draft."""
    winner = AuditFactory(user=learner, draft=True)
    monkeypatch.setattr(audit_logic, "find_draft", lambda user: None)
    assert audit_logic.draft_full_audit(learner) == winner
    assert Audit.objects.filter(user=learner).count() == 1


# Rating, with and without JavaScript


def test_htmx_click_saves_one_rating_and_answers_with_that_skills_status_and_the_counts(
    learner_client, draft
):
    target = skill(2)
    response = htmx_rate(learner_client, draft, target, "4")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    status = re.search(
        rf'<p class="audit-skill__status" id="skill-{target.pk}-status">(.*?)</p>', html, re.S
    )
    assert "Saved" in status.group(1) and "Rated 4 of 5" in status.group(1)
    assert "<fieldset" not in html, "the radios stay as the learner left them"
    assert 'id="audit-progress" data-hx-swap-oob="true"' in html
    assert "<strong>1</strong> of 6 rated" in html
    assert f"Saved: {target.name}, rated 4 of 5." in html
    assert list(draft.ratings.values_list("skill_id", "value")) == [(target.pk, 4)]


def test_full_page_has_the_htmx_wiring_for_each_skill(learner_client, draft):
    html = learner_client.get(AUDIT).content.decode()
    target = skill(0)
    assert f'data-hx-post="{rate_url(draft)}" data-hx-trigger="change"' in html
    assert f'data-hx-params="rating-{target.pk}"' in html
    assert f'data-hx-select="#skill-{target.pk}-status"' in html
    assert 'role="status" aria-live="polite" id="audit-announcer"' in html


def test_rating_again_changes_the_one_rating(learner_client, draft):
    target = skill(0)
    htmx_rate(learner_client, draft, target, "2")
    htmx_rate(learner_client, draft, target, "2")
    htmx_rate(learner_client, draft, target, "5")
    assert list(Rating.objects.values_list("skill_id", "value")) == [(target.pk, 5)]


def test_clearing_a_rating_makes_it_unrated_again(learner_client, draft):
    target = skill(0)
    htmx_rate(learner_client, draft, target, "3")
    response = htmx_rate(learner_client, draft, target, "")
    html = response.content.decode()
    assert not Rating.objects.exists()
    assert "Unrated" in html and "<strong>0</strong> of 6 rated" in html
    assert f"Saved: {target.name}, unrated." in html


def test_each_clicks_counts_take_in_the_drafts_other_ratings(learner_client, draft):
    first, second, never = skill(0), skill(1), skill(2)
    htmx_rate(learner_client, draft, first, "2")
    htmx_rate(learner_client, draft, second, "3")

    again = htmx_rate(learner_client, draft, first, "5").content.decode()
    cleared = htmx_rate(learner_client, draft, never, "")

    trunk = first.trunk
    in_trunk = sum(1 for each in (first, second) if each.trunk_id == trunk.pk)
    assert "<strong>2</strong> of 6 rated" in again
    assert (
        f'id="trunk-{trunk.number}-count" data-hx-swap-oob="true">{in_trunk} of '
        f"{trunk.skills.count()} rated<" in again
    )
    assert cleared.status_code == 200, "clearing a skill never rated is no error"
    assert "<strong>2</strong> of 6 rated" in cleared.content.decode()
    assert dict(draft.ratings.values_list("skill_id", "value")) == {first.pk: 5, second.pk: 3}


def test_without_javascript_the_whole_form_posts_and_redirects_back(learner_client, draft):
    first, second, third = skill(0), skill(1), skill(2)
    form = {f"rating-{s.pk}": "" for s in Skill.objects.all()}
    form.update({f"rating-{first.pk}": "1", f"rating-{second.pk}": "5"})

    response = learner_client.post(rate_url(draft), form)

    assert response.status_code == 302
    assert response["Location"] == AUDIT
    assert dict(draft.ratings.values_list("skill_id", "value")) == {first.pk: 1, second.pk: 5}
    page = learner_client.get(AUDIT).content.decode()
    assert "Ratings saved: 2 of 6 skills rated." in page
    assert checked_value(page, f"rating-{first.pk}") == "1"
    assert checked_value(page, f"rating-{second.pk}") == "5"
    assert checked_value(page, f"rating-{third.pk}") == ""
    assert "<strong>2</strong> of 6 rated" in page


def test_a_reload_shows_every_rating_made(learner_client, draft):
    for position, value in [(0, "3"), (3, "1"), (5, "5")]:
        htmx_rate(learner_client, draft, skill(position), value)
    page = learner_client.get(AUDIT).content.decode()
    assert checked_value(page, f"rating-{skill(0).pk}") == "3"
    assert checked_value(page, f"rating-{skill(3).pk}") == "1"
    assert checked_value(page, f"rating-{skill(5).pk}") == "5"
    assert "<strong>3</strong> of 6 rated" in page


# Bad input


@pytest.mark.parametrize("value", ["0", "6", "x", "3.5", "-1", "99999999999999999999"])
def test_a_rating_outside_1_to_5_is_refused_and_changes_nothing(learner_client, draft, value):
    RatingFactory(audit=draft, skill=skill(0), value=2)
    before = database_state()
    for headers in ({}, {"HX-Request": "true"}):
        response = learner_client.post(
            rate_url(draft), {f"rating-{skill(0).pk}": value}, headers=headers
        )
        assert response.status_code == 400
        assert "A rating is a whole number from 1 to 5" in response.content.decode()
    assert database_state() == before


@pytest.mark.parametrize("field", ["rating-999999", "rating-abc", "rating-"])
def test_a_skill_that_does_not_exist_is_refused_and_changes_nothing(learner_client, draft, field):
    before = database_state()
    response = learner_client.post(rate_url(draft), {field: "3"})
    assert response.status_code == 400
    assert "in the tree." in response.content.decode()
    assert database_state() == before


def test_one_bad_rating_in_the_form_means_none_is_written(learner_client, draft):
    before = database_state()
    response = learner_client.post(
        rate_url(draft), {f"rating-{skill(0).pk}": "4", f"rating-{skill(1).pk}": "9"}
    )
    assert response.status_code == 400
    assert database_state() == before


def test_a_post_without_ratings_is_refused(learner_client, draft):
    response = learner_client.post(rate_url(draft), {"something": "else"})
    assert response.status_code == 400
    assert not Rating.objects.exists()


def test_rate_endpoint_only_takes_posts(learner_client, draft):
    assert learner_client.get(rate_url(draft)).status_code == 405


def test_an_audit_that_does_not_exist_is_404(learner_client):
    assert learner_client.post("/audits/999999/rate/", {"rating-1": "3"}).status_code == 404
    assert learner_client.get("/audits/999999/").status_code == 404


# Saving: a frozen snapshot


def test_save_freezes_the_draft_and_shows_it_read_only(learner_client, draft):
    htmx_rate(learner_client, draft, skill(0), "3")
    response = learner_client.post(save_url(draft))
    draft.refresh_from_db()
    assert draft.is_saved
    assert response["Location"] == detail_url(draft)

    page = learner_client.get(detail_url(draft)).content.decode()
    assert "It is a snapshot now and won" in page
    assert "1 of 6 skills rated" in page
    ratings = reverse("assessments:audit_ratings", args=[draft.pk])
    assert f'href="{ratings}"' in page
    page = learner_client.get(ratings).content.decode()
    assert "1 of 6 skills rated" in page
    assert "3 — can do it with help" in page
    assert page.count("Unrated") == 5
    assert "<input" not in page.split('id="main"')[1]


def test_a_saved_audit_can_never_be_rated_again(learner_client, saved):
    before = database_state()
    response = learner_client.post(rate_url(saved), {f"rating-{skill(0).pk}": "5"})
    assert response.status_code == 409
    assert "can’t be changed" in response.content.decode()

    response = htmx_rate(learner_client, saved, skill(0), "5")
    assert response.status_code == 409
    assert response["HX-Redirect"] == AUDIT

    response = htmx_rate(learner_client, saved, skill(1), "")  # clearing one is refused too
    assert response.status_code == 409

    response = learner_client.post(save_url(saved), {f"rating-{skill(0).pk}": "5"})
    assert response.status_code == 409
    assert database_state() == before


def test_saving_refuses_an_empty_audit(learner_client, draft):
    response = learner_client.post(save_url(draft))
    assert response.status_code == 302
    assert response["Location"] == AUDIT
    draft.refresh_from_db()
    assert not draft.is_saved
    assert "Rate at least one skill" in learner_client.get(AUDIT).content.decode()


def test_an_audit_with_no_rating_is_never_saved_whoever_saves_it(draft):
    with pytest.raises(audit_logic.NothingRated, match="Rate at least one skill"):
        audit_logic.save_audit(draft)
    draft.refresh_from_db()
    assert not draft.is_saved


def test_save_without_javascript_keeps_the_ratings_sent_with_the_button(learner_client, draft):
    learner_client.post(save_url(draft), {f"rating-{skill(4).pk}": "4"})
    draft.refresh_from_db()
    assert draft.is_saved
    assert list(draft.ratings.values_list("skill_id", "value")) == [(skill(4).pk, 4)]


def test_save_with_a_bad_rating_neither_rates_nor_saves(learner_client, draft):
    RatingFactory(audit=draft, skill=skill(0), value=2)
    before = database_state()
    response = learner_client.post(save_url(draft), {f"rating-{skill(4).pk}": "0"})
    assert response.status_code == 400
    assert database_state() == before


def test_the_next_audit_starts_from_the_last_saved_ones_ratings(learner_client, learner, saved):
    AuditFactory(user=learner, days_ago=90, ratings={skill(5): 1})

    page = learner_client.get(AUDIT).content.decode()

    draft = Audit.objects.drafts().get(user=learner)
    assert dict(draft.ratings.values_list("skill_id", "value")) == {
        skill(0).pk: 2,
        skill(1).pk: 4,
    }
    assert checked_value(page, f"rating-{skill(0).pk}") == "2"
    assert checked_value(page, f"rating-{skill(5).pk}") == ""
    assert "This draft starts from your audit saved on" in page

    htmx_rate(learner_client, draft, skill(0), "5")
    assert dict(saved.ratings.values_list("skill_id", "value")) == {
        skill(0).pk: 2,
        skill(1).pk: 4,
    }


def test_unrated_skills_are_not_counted_as_ones(learner_client, draft):
    htmx_rate(learner_client, draft, skill(0), "4")
    learner_client.post(save_url(draft))
    assert list(Rating.objects.values_list("value", flat=True)) == [4]
    page = learner_client.get(detail_url(draft)).content.decode()
    assert "1 — never touched it" not in page
    history = learner_client.get(reverse("assessments:audit_history")).content.decode()
    assert "1 of 6 skills" in history


def test_a_draft_can_be_opened_from_history_and_leads_to_the_audit_page(learner_client, draft):
    history = learner_client.get(reverse("assessments:audit_history")).content.decode()
    assert "Continue your audit" in history
    assert learner_client.get(detail_url(draft))["Location"] == AUDIT


# Query budgets


def grow_the_data(learner, extra_skills=50, past_audits=6):
    SkillFactory.create_batch(extra_skills, trunk=TrunkFactory(), bucket=Bucket.objects.first())
    every_skill = dict.fromkeys(Skill.objects.all(), 3)
    for days in range(past_audits):
        AuditFactory(user=learner, days_ago=days + 1, ratings=every_skill)
    bump_curriculum()  # as a curator's save does
    bump_learner(learner.pk)  # as saving an audit does


def test_audit_page_queries_do_not_grow_with_skills_and_past_audits(
    learner_client, learner, django_assert_num_queries
):
    learner_client.get(AUDIT)  # makes the draft
    bump_learner(learner.pk)  # as a rating does
    # the session, its user, whether they lead (the nav), the draft, its ratings, the last
    # saved audit: the curriculum comes from the cache
    with django_assert_num_queries(6):
        learner_client.get(AUDIT)
    # seen again: the draft only, its ratings kept in the page's fragments (pages.for_learner)
    with django_assert_num_queries(4):
        learner_client.get(AUDIT)

    Audit.objects.all().delete()
    grow_the_data(learner)
    learner_client.get(AUDIT)  # the new draft, filled from the last of the past audits
    draft = Audit.objects.drafts().get(user=learner)
    assert draft.ratings.count() == 6 + 50
    bump_learner(learner.pk)  # as a rating does
    with django_assert_num_queries(6):
        learner_client.get(AUDIT)
    with django_assert_num_queries(4):
        learner_client.get(AUDIT)


def test_creating_a_draft_from_the_last_audit_runs_a_fixed_number_of_queries(
    learner_client, learner, saved, django_assert_num_queries
):
    # two more since the session and its user are read apart and the nav asks whether they lead
    with django_assert_num_queries(15):
        learner_client.get(AUDIT)

    Audit.objects.all().delete()
    grow_the_data(learner)
    with django_assert_num_queries(15):
        learner_client.get(AUDIT)
    assert Audit.objects.drafts().get().ratings.count() == 6 + 50


def test_rate_endpoint_queries_do_not_grow(learner_client, learner, django_assert_num_queries):
    draft = audit_logic.draft_full_audit(learner)
    first = skill(0)
    htmx_rate(learner_client, draft, first, "2")  # the curriculum's side is cached from here on
    # 13 before the curriculum side (the skill, its trunk's skills, all skills) came from the cache,
    # 10 before the trunk's and the audit's rated counts became one query, 9 before the skills'
    # mastery versions came from the cache, 7 before one rating became one statement, 5 before
    # that statement checked whose the audit is, 4 before it also read the rated skills on
    # PostgreSQL, 3 before the session was read with its user, 2 until sessions were Django's own
    # again, 3 (4 on SQLite) while the click was raw SQL. One write path through the ORM
    # (`audits.rate`, issue 21) on both databases: the session, its user, the audit's row locked
    # and read with its rated skills, the upsert, and the transaction's savepoint and its release
    # (a test runs inside a transaction; served, those are BEGIN and COMMIT, not counted)
    click = 6
    with django_assert_num_queries(click):
        htmx_rate(learner_client, draft, first, "3")

    grow_the_data(learner)
    others = list(Skill.objects.all()[1:])
    RatingFactory.create_batch(len(others), audit=draft, skill=factory.Iterator(others), value=2)
    htmx_rate(learner_client, draft, first, "2")
    with django_assert_num_queries(click):
        htmx_rate(learner_client, draft, first, "4")


# the session and its user, the nav, the saved audits, the draft, the skill count's, and the
# learner's verdicts (how their ratings held up: none here, so no ratings read for it)
HISTORY_QUERIES = 7


def test_history_and_detail_queries_do_not_grow(
    learner_client, learner, saved, django_assert_num_queries
):
    history = reverse("assessments:audit_history")
    # pages: two more since the session and its user are read apart and the nav asks whether
    # they lead; the detail one more for the path's phases with what they teach, and one for
    # the notes changed lately (hype substitution), and one for the curriculum's re-check months
    with django_assert_num_queries(HISTORY_QUERIES):
        learner_client.get(history)
    with django_assert_num_queries(22):
        learner_client.get(detail_url(saved))
    with django_assert_num_queries(7):
        learner_client.get(ratings_url(saved))
    grow_the_data(learner)
    with django_assert_num_queries(HISTORY_QUERIES):
        learner_client.get(history)
    with django_assert_num_queries(22):
        learner_client.get(detail_url(saved))
    with django_assert_num_queries(7):
        learner_client.get(ratings_url(saved))


def test_clearing_a_skill_that_was_never_rated_is_fine(learner_client, draft):
    response = htmx_rate(learner_client, draft, skill(0), "")
    assert response.status_code == 200
    assert "Unrated" in response.content.decode()
    assert not draft.ratings.exists()
