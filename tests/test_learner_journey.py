"""A learner's whole journey through Django's test client, as a browser without JavaScript sees it:
sign up, quick audit, full audit, save, a second audit from the first, dashboard, export, delete."""

import csv
import io
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from assessments.models import Audit, BaselineAnswer, Progress, Rating
from curriculum.models import BaselineQuestion, Skill, Track

User = get_user_model()

PASSWORD = "orchard-lantern-41-quietly"

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hasher")]


def _form_action(html, button_text):
    """The URL a form posts to, found by the text of its submit button (formaction wins)."""
    button = re.search(
        rf'<button[^>]*type="submit"[^>]*formaction="([^"]+)"[^>]*>{re.escape(button_text)}<', html
    )
    if button:
        return button.group(1)
    form = re.search(
        rf'<form[^>]*action="([^"]+)"(?:(?!</form>).)*>{re.escape(button_text)}<', html, re.S
    )
    assert form, f"no form with a “{button_text}” button"
    return form.group(1)


def _checked(html, skill):
    """The rating the page shows as chosen for a skill ('' = unrated)."""
    match = re.search(rf'name="rating-{skill.pk}" value="(\d?)" checked', html)
    return match.group(1) if match else None


def test_a_learner_signs_up_audits_twice_sees_the_gap_exports_and_leaves(client):
    # Sign up: logged in at once and sent to the quick audit.
    response = client.post(
        reverse("signup"),
        {
            "username": "lin",
            "email": "lin@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        follow=True,
    )
    assert response.redirect_chain == [(reverse("assessments:quick_audit"), 302)]
    html = response.content.decode()
    assert "Welcome, lin" in html
    questions = list(BaselineQuestion.objects.order_by("order"))
    assert len(questions) == 5
    for question in questions:
        assert question.text in html
    lin = User.objects.get(username="lin")

    # Quick audit: five answers, then the first picture of the buckets.
    answers = dict(zip(questions, [4, 2, 3, 1, 5], strict=True))
    response = client.post(
        reverse("assessments:quick_audit"),
        {f"question-{question.pk}": value for question, value in answers.items()},
        follow=True,
    )
    assert response.status_code == 200
    assert "Quick audit saved. Here is your first picture." in response.content.decode()
    quick = Audit.objects.get(user=lin, kind=Audit.Kind.QUICK)
    assert quick.is_saved
    assert dict(BaselineAnswer.objects.filter(audit=quick).values_list("question", "value")) == {
        question.pk: value for question, value in answers.items()
    }

    # Full audit: every skill on the page, all unrated at first.
    skills = list(Skill.objects.order_by("trunk__number", "order"))
    response = client.get(reverse("assessments:audit"))
    html = response.content.decode()
    for skill in skills:
        assert skill.name in html
        assert _checked(html, skill) == ""
    rate_url = _form_action(html, "Save my ratings")
    save_url = _form_action(html, "Save audit")
    draft = Audit.objects.drafts().get(user=lin, kind=Audit.Kind.FULL)
    assert save_url == reverse("assessments:save_audit", args=[draft.pk])

    # One click through htmx saves one rating and answers with the skill's fragment.
    response = client.post(
        reverse("assessments:rate", args=[draft.pk]),
        {f"rating-{skills[0].pk}": "3"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Saved" in response.content.decode()
    assert "Rated 3 of 5" in response.content.decode()

    # Without JavaScript, the same form posts several ratings and comes back.
    first_ratings = {skills[0]: 4, skills[1]: 2, skills[7]: 5, skills[20]: 1}
    response = client.post(
        rate_url,
        {f"rating-{skill.pk}": str(value) for skill, value in first_ratings.items()},
        follow=True,
    )
    assert "Ratings saved: 4 of 37 skills rated." in response.content.decode()
    html = client.get(reverse("assessments:audit")).content.decode()
    assert _checked(html, skills[0]) == "4"  # a reload loses nothing
    assert _checked(html, skills[2]) == ""  # unrated stays unrated

    # Save: a dated snapshot.
    response = client.post(save_url, follow=True)
    assert "Audit saved on" in response.content.decode()
    first = Audit.objects.get(pk=draft.pk)
    assert first.is_saved
    assert {r.skill: r.value for r in first.ratings.select_related("skill")} == first_ratings

    # The snapshot can't be changed any more.
    response = client.post(
        reverse("assessments:rate", args=[first.pk]), {f"rating-{skills[0].pk}": "1"}
    )
    assert response.status_code == 409
    assert Rating.objects.get(audit=first, skill=skills[0]).value == 4

    # The second audit starts from the first one's ratings.
    html = client.get(reverse("assessments:audit")).content.decode()
    second_draft = Audit.objects.drafts().get(user=lin, kind=Audit.Kind.FULL)
    assert second_draft.pk != first.pk
    for skill, value in first_ratings.items():
        assert _checked(html, skill) == str(value)
    assert "This draft starts from your audit saved on" in html
    client.post(
        reverse("assessments:rate", args=[second_draft.pk]),
        {f"rating-{skills[1].pk}": "4", f"rating-{skills[3].pk}": "3"},
    )
    client.post(reverse("assessments:save_audit", args=[second_draft.pk]))
    second = Audit.objects.get(pk=second_draft.pk)
    assert second.is_saved
    second_ratings = {**first_ratings, skills[1]: 4, skills[3]: 3}
    assert {r.skill: r.value for r in second.ratings.select_related("skill")} == second_ratings

    # History lists both snapshots.
    html = client.get(reverse("assessments:audit_history")).content.decode()
    assert reverse("assessments:audit_detail", args=[first.pk]) in html
    assert reverse("assessments:audit_detail", args=[second.pk]) in html

    # A target track on the profile.
    track = Track.objects.get(slug="research-scientist")
    response = client.post(
        reverse("profile"),
        {"display_name": "Lin", "target_track": track.pk, "path_started_on": ""},
        follow=True,
    )
    assert "Your profile is saved." in response.content.decode()
    lin.refresh_from_db()
    assert lin.target_track == track

    _check_dashboard(client, lin, track, second_ratings)

    # Export: everything as JSON, the ratings as CSV.
    data = client.get(reverse("assessments:export_json")).json()
    assert data["profile"]["username"] == "lin"
    assert data["profile"]["target_track"]["slug"] == track.slug
    exported = {audit["id"]: audit for audit in data["audits"]}
    assert set(exported) == {quick.pk, first.pk, second.pk}
    assert [a["answer"] for a in exported[quick.pk]["baseline_answers"]] == [4, 2, 3, 1, 5]
    assert {r["skill_slug"]: r["rating"] for r in exported[second.pk]["ratings"]} == {
        skill.slug: value for skill, value in second_ratings.items()
    }
    rows = list(
        csv.reader(
            io.StringIO(client.get(reverse("assessments:export_ratings_csv")).content.decode())
        )
    )
    assert rows[0] == ["audit_id", "kind", "saved_at", "trunk", "skill", "rating"]
    assert len(rows) == 1 + len(first_ratings) + len(second_ratings)
    assert {row[0] for row in rows[1:]} == {str(first.pk), str(second.pk)}
    json.dumps(data)  # the export is plain JSON all the way down

    # Delete: the wrong password keeps everything, the right one removes it all.
    response = client.post(reverse("assessments:delete_account"), {"password": "not-it"})
    assert "Nothing was deleted" in response.content.decode()
    assert Audit.objects.filter(user=lin).count() == 3

    response = client.post(
        reverse("assessments:delete_account"), {"password": PASSWORD}, follow=True
    )
    assert "Your account is deleted" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    assert not User.objects.filter(username="lin").exists()
    assert not Audit.objects.filter(user_id=lin.pk).exists()
    assert not Rating.objects.filter(audit__user_id=lin.pk).exists()
    assert not Progress.objects.filter(user_id=lin.pk).exists()
    response = client.post(reverse("login"), {"username": "lin", "password": PASSWORD})
    assert response.status_code == 200  # the account is gone: logging in fails


def _check_dashboard(client, learner, track, ratings):
    """The dashboard's figures; filled in once the dashboard lands on main."""
