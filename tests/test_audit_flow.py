"""Saving a full audit lands on what it earned; the full audit moves by trunk, saves once."""

import re

import pytest
from django.urls import reverse

from assessments.models import Audit
from curriculum.models import Skill, Track, Trunk
from tests.factories import AuditFactory, learner_with_two_full_audits

pytestmark = pytest.mark.django_db

AUDIT = reverse("assessments:audit")


def detail_url(audit):
    return reverse("assessments:audit_detail", args=[audit.pk])


def rate(client, audit, skill, value):
    return client.post(
        reverse("assessments:rate", args=[audit.pk]),
        {f"rating-{skill.pk}": value},
        headers={"HX-Request": "true"},
    )


@pytest.fixture
def research():
    return Track.objects.get(slug="research-scientist")


def test_saving_a_full_audit_lands_on_the_gap_to_the_target_track(
    learner_client, learner, research
):
    learner.target_track = research
    learner.save()
    learner_client.get(AUDIT)
    draft = Audit.objects.drafts().get(user=learner)
    rate(learner_client, draft, Skill.objects.get(slug="linear-algebra"), "2")

    response = learner_client.post(reverse("assessments:save_audit", args=[draft.pk]), follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == detail_url(draft)
    assert "Your gap to Research Scientist" in page
    assert "<svg" in page
    assert "Research Scientist’s target per bucket" in page
    ratings = reverse("assessments:audit_ratings", args=[draft.pk])
    assert f'class="button button--secondary" href="{ratings}"' in page
    assert f'class="button button--secondary" href="{AUDIT}">Start your next audit' in page
    assert 'class="button" href="' + AUDIT not in page


def test_the_result_shows_what_moved_since_the_audit_before_it(client, research):
    linear, causal = (
        Skill.objects.get(slug="linear-algebra"),
        Skill.objects.get(slug="causal-thinking"),
    )
    user = learner_with_two_full_audits(
        {linear: 2, causal: 3}, {linear: 4, causal: 3}, target_track=research
    )
    client.force_login(user)
    older, newer = Audit.objects.filter(user=user).order_by("saved_at")
    page = client.get(detail_url(newer)).content.decode()
    assert "Then and now" in page
    assert "1 skill rating moved" in page
    moved = page.split("skill rating moved")[1]
    assert linear.name in moved and causal.name not in moved

    # The older audit's own result: nothing before it, so nothing moved yet.
    page = client.get(detail_url(older)).content.decode()
    assert "is your first, so there is nothing before it to compare" in page


def test_without_a_target_track_the_result_says_so_and_offers_to_aim(learner_client, learner):
    audit = AuditFactory(user=learner, ratings={Skill.objects.first(): 3})
    page = learner_client.get(detail_url(audit)).content.decode()
    assert "Pick a target track to see your gap to it" in page
    for track in Track.objects.all():
        assert f'action="{reverse("aim_track", args=[track.slug])}"' in page


def test_the_ratings_table_is_a_page_of_its_own(learner_client, learner):
    audit = AuditFactory(user=learner, ratings={Skill.objects.first(): 3})
    page = learner_client.get(reverse("assessments:audit_ratings", args=[audit.pk]))
    assert page.status_code == 200
    assert "3 — can do it with help" in page.content.decode()


def test_someone_elses_audit_result_and_ratings_are_404(learner_client, other_learner):
    audit = AuditFactory(user=other_learner, ratings={Skill.objects.first(): 3})
    assert learner_client.get(detail_url(audit)).status_code == 404
    ratings = reverse("assessments:audit_ratings", args=[audit.pk])
    assert learner_client.get(ratings).status_code == 404


def test_the_full_audit_has_a_link_and_a_count_per_trunk(learner_client, learner):
    first = Trunk.objects.order_by("number").first()
    AuditFactory(user=learner, ratings=dict.fromkeys(first.skills.all()[:2], 3))
    page = learner_client.get(AUDIT).content.decode()
    nav = page.split('aria-label="Trunks in this audit"')[1].split("</nav>")[0]
    for trunk in Trunk.objects.all():
        assert f'href="#trunk-{trunk.number}"' in nav
        assert f'id="trunk-{trunk.number}"' in page
    total = first.skills.count()
    assert f'id="trunk-{first.number}-count">2 of {total} rated' in nav


def test_a_rating_click_updates_its_trunks_count_out_of_band(learner_client, learner):
    learner_client.get(AUDIT)
    draft = Audit.objects.drafts().get(user=learner)
    skill = Skill.objects.select_related("trunk").first()
    html = rate(learner_client, draft, skill, "4").content.decode()
    total = skill.trunk.skills.count()
    assert re.search(
        rf'id="trunk-{skill.trunk.number}-count" data-hx-swap-oob="true">1 of {total} rated', html
    )
    html = rate(learner_client, draft, skill, "").content.decode()
    assert f'data-hx-swap-oob="true">0 of {total} rated' in html


def test_save_ratings_is_only_offered_without_javascript(learner_client):
    page = learner_client.get(AUDIT).content.decode()
    outside = re.sub(r"<noscript>.*?</noscript>", "", page, flags=re.S)
    assert "Save ratings" in page
    assert "Save ratings" not in outside
    assert "Save my ratings" not in outside
    assert "Save audit" in outside


def test_the_no_javascript_form_still_saves_ratings(learner_client, learner):
    learner_client.get(AUDIT)
    draft = Audit.objects.drafts().get(user=learner)
    skill = Skill.objects.first()
    response = learner_client.post(
        reverse("assessments:rate", args=[draft.pk]), {f"rating-{skill.pk}": "5"}
    )
    assert response["Location"] == AUDIT
    assert draft.ratings.get(skill=skill).value == 5
