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

pytestmark = pytest.mark.django_db


def _button_action(html, button_text):
    """Where a submit button posts: its formaction, else its form's action."""
    for form in re.finditer(r'<form[^>]*action="([^"]+)"(.*?)</form>', html, re.S):
        button = re.search(rf"<button([^>]*)>{re.escape(button_text)}</button>", form.group(2))
        if button:
            formaction = re.search(r'formaction="([^"]+)"', button.group(1))
            return formaction.group(1) if formaction else form.group(1)
    raise AssertionError(f"no “{button_text}” button in a form")


def _form_action(html, button_text):
    """The action of the form holding this button (where the form posts without formaction)."""
    for form in re.finditer(r'<form[^>]*action="([^"]+)"(.*?)</form>', html, re.S):
        if f">{button_text}</button>" in form.group(2):
            return form.group(1)
    raise AssertionError(f"no “{button_text}” button in a form")


def _checked(html, skill):
    """The rating the page shows as chosen for a skill ('' = unrated)."""
    match = re.search(rf'name="rating-{skill.pk}" value="(\d?)" checked', html)
    return match.group(1) if match else None


def test_a_learner_signs_up_audits_twice_sees_the_gap_exports_and_leaves(client):
    # Sign up: logged in at once and sent to the quick audit.
    response = client.post(
        reverse("account_signup"),
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
    assert len(questions) > 1
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
    by_slug = Skill.objects.in_bulk(field_name="slug")
    python, data_work = by_slug["python-and-scientific-stack"], by_slug["working-with-data"]
    papers, linalg = by_slug["reading-academic-papers"], by_slug["linear-algebra"]
    calculus = by_slug["calculus-and-gradients"]
    response = client.get(reverse("assessments:audit"))
    html = response.content.decode()
    for skill in skills:
        assert skill.name in html
        assert _checked(html, skill) == ""
    rate_url = _form_action(html, "Save audit")
    save_url = _button_action(html, "Save audit")
    draft = Audit.objects.drafts().get(user=lin, kind=Audit.Kind.FULL)
    assert save_url == reverse("assessments:save_audit", args=[draft.pk])
    assert rate_url == reverse("assessments:rate", args=[draft.pk])

    # One click through htmx saves one rating and answers with the skill's fragment.
    response = client.post(
        reverse("assessments:rate", args=[draft.pk]),
        {f"rating-{python.pk}": "3"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Saved" in response.content.decode()
    assert "Rated 3 of 5" in response.content.decode()

    # Without JavaScript, the same form posts several ratings and comes back.
    # Technical: 4 and 2; Research: 5; Domain: 1; Communication: nothing rated.
    first_ratings = {python: 4, data_work: 2, papers: 5, linalg: 1}
    response = client.post(
        rate_url,
        {f"rating-{skill.pk}": str(value) for skill, value in first_ratings.items()},
        follow=True,
    )
    assert f"Ratings saved: 4 of {Skill.objects.count()} skills rated." in response.content.decode()
    html = client.get(reverse("assessments:audit")).content.decode()
    assert _checked(html, python) == "4"  # a reload loses nothing
    assert _checked(html, calculus) == ""  # unrated stays unrated

    # Save: a dated snapshot.
    response = client.post(save_url, follow=True)
    assert "Audit saved on" in response.content.decode()
    first = Audit.objects.get(pk=draft.pk)
    assert first.is_saved
    assert {r.skill: r.value for r in first.ratings.select_related("skill")} == first_ratings

    # The snapshot can't be changed any more.
    response = client.post(
        reverse("assessments:rate", args=[first.pk]), {f"rating-{python.pk}": "1"}
    )
    assert response.status_code == 409
    assert Rating.objects.get(audit=first, skill=python).value == 4

    # The second audit starts from the first one's ratings.
    html = client.get(reverse("assessments:audit")).content.decode()
    second_draft = Audit.objects.drafts().get(user=lin, kind=Audit.Kind.FULL)
    assert second_draft.pk != first.pk
    for skill, value in first_ratings.items():
        assert _checked(html, skill) == str(value)
    assert "This draft starts from your audit saved on" in html
    client.post(
        reverse("assessments:rate", args=[second_draft.pk]),
        {f"rating-{data_work.pk}": "4", f"rating-{calculus.pk}": "3"},
    )
    client.post(reverse("assessments:save_audit", args=[second_draft.pk]))
    second = Audit.objects.get(pk=second_draft.pk)
    assert second.is_saved
    second_ratings = {**first_ratings, data_work: 4, calculus: 3}
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

    _check_dashboard(client, track)

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
    response = client.post(reverse("account_login"), {"login": "lin", "password": PASSWORD})
    assert response.status_code == 200  # the account is gone: logging in fails


def _table(html, caption):
    """The body rows of the table with this caption, each a list of its cells' visible text."""
    table = re.search(rf"<caption[^>]*>{re.escape(caption)}</caption>(.*?)</table>", html, re.S)
    assert table, f"no table “{caption}”"
    body = table.group(1).split("<tbody>")[1]
    return [
        [
            " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def _check_dashboard(client, track):
    """The dashboard's figures, worked out by hand from the ratings above: Technical (4, 4) is
    4.0, Research (5) 5.0, Domain (1, 3) 2.0, Communication unrated; Research Scientist needs
    High 4, Very high 5, High 4 and Math, heavy 4."""
    response = client.get(reverse("assessments:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()

    assert f"Your gap to {track.name}" in html
    assert "<svg" in html
    assert _table(html, f"Your level and {track.name}’s target per bucket, on the 1–5 scale") == [
        ["Technical", "4.0 (2 rated)", "4.0 · High", "met"],
        ["Research", "5.0 (1 rated)", "5.0 · Very high", "met"],
        ["Communication", "not rated", "4.0 · High", "–"],
        ["Domain", "2.0 (2 rated)", "4.0 · Math, heavy", "2.0 short"],
    ]
    assert "Time to audit again" not in html

    next_skills = re.search(r'<ol class="[^"]*next-skills">(.*?)</ol>', html, re.S).group(1)
    names = re.findall(r'<h3><a href="/skills/[^"]+/">([^<]+)</a></h3>', next_skills)
    assert len(names) == 3
    assert names[0] == "Linear algebra"  # rated 1 against a Domain need of 4: the biggest gap
    assert "Calculus and gradients" in names
    assert next_skills.count('class="free-resource"') == 3

    # One Research rating and no Communication one are too few to rank the tracks by.
    fits = _table(html, "The seven tracks, not ranked yet: too few ratings")
    assert len(fits) == Track.objects.count() > 1
    [target_row] = [row for row in fits if "your target" in row[1]]
    assert target_row[1].startswith(track.name)
    assert target_row[2:] == [
        "not ranked: needs 3 more ratings",
        "rate 1 more in Research, 2 more in Communication",
    ]

    then_now = _table(html, "Your level per bucket then and now, on the 1–5 scale")
    assert ["Technical", "3.0", "4.0", "+1.0"] in then_now
    assert ["Domain", "1.0", "2.0", "+1.0"] in then_now
    assert ["Research", "5.0", "5.0", "0.0"] in then_now
