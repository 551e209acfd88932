"""Private notes per skill (issue 13 item 11): a learner keeps notes on each skill, on the skill
page and their progress page, saved with htmx or a plain form, in their data export, deleted
with their account, and never shown to a cohort lead."""

import json

import pytest
from django.urls import reverse

from assessments.models import SkillNote
from curriculum.models import Skill
from tests.factories import claim_test, make_cohort, make_lead, save_full_audit

pytestmark = pytest.mark.django_db

SECRET = "I still confuse precision and recall; reread chapter 3."


@pytest.fixture
def skill():
    return Skill.objects.select_related("trunk").first()


def _notes_url(skill):
    return reverse("assessments:skill_notes", args=[skill.slug])


def test_the_skill_page_offers_private_notes_to_a_signed_in_learner(learner_client, skill):
    html = learner_client.get(skill.get_absolute_url()).content.decode()
    assert "Private notes (only you see these)" in html
    assert f'action="{_notes_url(skill)}"' in html


def test_a_visitor_sees_no_notes_form(client, skill):
    html = client.get(skill.get_absolute_url()).content.decode()
    assert "Private notes" not in html


def test_saving_without_javascript_stores_the_note_and_shows_it_back(
    learner_client, learner, skill
):
    response = learner_client.post(
        _notes_url(skill), {"text": SECRET, "next": skill.get_absolute_url()}
    )

    assert response.status_code == 302
    assert response.url == skill.get_absolute_url() + "#notes"
    assert SkillNote.objects.get(user=learner, skill=skill).text == SECRET
    assert SECRET in learner_client.get(skill.get_absolute_url()).content.decode()
    progress_page = reverse("assessments:skill_progress", args=[skill.slug])
    assert SECRET in learner_client.get(progress_page).content.decode()


def test_saving_with_htmx_returns_the_notes_fragment(learner_client, learner, skill):
    response = learner_client.post(
        _notes_url(skill), {"text": SECRET}, headers={"HX-Request": "true"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="notes"')
    assert "Saved your notes" in html and SECRET in html
    assert "<html" not in html


def test_saving_again_edits_the_one_note_and_empty_deletes_it(learner_client, learner, skill):
    learner_client.post(_notes_url(skill), {"text": "first"})
    learner_client.post(_notes_url(skill), {"text": "second"})
    assert list(SkillNote.objects.filter(user=learner).values_list("text", flat=True)) == ["second"]

    learner_client.post(_notes_url(skill), {"text": "   "})
    assert not SkillNote.objects.filter(user=learner).exists()


def test_a_note_over_5000_characters_is_refused(learner_client, learner, skill):
    response = learner_client.post(_notes_url(skill), {"text": "x" * 5001})

    assert response.status_code == 400
    assert "Keep the notes to 5000 characters or fewer" in response.content.decode()
    assert not SkillNote.objects.exists()


def test_notes_are_per_learner(client, learner, other_learner, skill):
    SkillNote.objects.create(user=learner, skill=skill, text=SECRET)
    client.force_login(other_learner)
    assert SECRET not in client.get(skill.get_absolute_url()).content.decode()
    client.post(_notes_url(skill), {"text": "mine"})
    assert SkillNote.objects.get(user=learner).text == SECRET


def test_a_visitor_cannot_save_notes(client, skill):
    response = client.post(_notes_url(skill), {"text": SECRET})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not SkillNote.objects.exists()


def test_the_notes_are_in_the_data_export(learner_client, learner, skill):
    SkillNote.objects.create(user=learner, skill=skill, text=SECRET)
    data = json.loads(learner_client.get(reverse("assessments:export_json")).content)
    (note,) = data["skill_notes"]
    assert note["text"] == SECRET
    assert note["skill"] == skill.name


def test_deleting_the_account_deletes_the_notes(learner, skill):
    SkillNote.objects.create(user=learner, skill=skill, text=SECRET)
    learner.delete()
    assert not SkillNote.objects.exists()


def test_a_lead_never_sees_a_members_private_notes(client, learner, skill):
    lead = make_lead()
    cohort = make_cohort(lead, members=[learner])
    save_full_audit(learner, {skill: 3})
    claim_test(learner, skill, note="Shared with my lead.")
    SkillNote.objects.create(user=learner, skill=skill, text=SECRET)
    client.force_login(lead)

    pages = [
        reverse("cohorts:cohort", args=[cohort.pk]),
        reverse("cohorts:cohort", args=[cohort.pk]) + "?view=skills",
        reverse("cohorts:cohort_learner", args=[cohort.pk, learner.pk]),
        reverse("cohorts:cohort_reviews"),
        reverse("cohorts:cohort_export", args=[cohort.pk]),
        skill.get_absolute_url(),
    ]
    learner_page = client.get(pages[2]).content.decode()
    assert "Shared with my lead." in learner_page
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert SECRET not in body.decode(), url


SHOTS = "/work/shots/nav-notes"


@pytest.mark.browser
@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_a_learner_writes_notes_on_the_skill_page(
    new_page, log_in, assert_accessible, learner, skill, javascript
):
    page = log_in(new_page(java_script_enabled=javascript), learner)
    page.goto(skill.get_absolute_url())
    notes = page.get_by_role("textbox", name="Private notes (only you see these)")
    notes.fill(SECRET)
    page.get_by_role("button", name="Save notes").click()
    status = page.locator("#notes [role=status]") if javascript else page.locator(".messages")
    status.wait_for()
    assert "Saved your" in status.inner_text()
    assert SkillNote.objects.get(user=learner, skill=skill).text == SECRET
    page.reload()
    assert (
        page.get_by_role("textbox", name="Private notes (only you see these)").input_value()
        == SECRET
    )
    if javascript:
        for width in (1280, 390):
            page.set_viewport_size({"width": width, "height": 900})
            assert_accessible(page)
            page.locator("#notes").screenshot(path=f"{SHOTS}/notes-{width}.png")
