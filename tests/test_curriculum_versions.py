"""Curriculum versions keep learners' history (issue 14, part 2).

A skill, track, quick-audit question or ladder signal learners have used is retired, never
deleted; retired rows leave the public pages and new audits and stay in old audits and exports.
A saved audit keeps the bar each rating was made against, and says when it changed.
"""

import json
import re
from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import ProtectedError
from django.urls import reverse

from assessments import history
from assessments.models import Audit, Rating
from curriculum.framework import export_framework
from curriculum.models import BaselineQuestion, Bucket, LadderSignal, Skill, Track
from pages import bump_curriculum
from tests.factories import (
    AuditFactory,
    BaselineAnswerFactory,
    ProgressFactory,
    RequirementLevelFactory,
    SignalTickFactory,
    UserFactory,
    learner_aiming_at,
    small_curriculum,
)

pytestmark = pytest.mark.django_db


def _admin(model, view, *args):
    return reverse(f"admin:curriculum_{model._meta.model_name}_{view}", args=args)


def _text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def _retire(obj):
    obj.retired = True
    obj.save()
    bump_curriculum()  # as the admin's save does


# The database refuses to delete what learners used


def test_a_rated_skill_cannot_be_deleted_and_its_ratings_stay():
    skill = Skill.objects.first()
    AuditFactory(ratings={skill: 4})
    with pytest.raises(ProtectedError):
        skill.delete()
    assert Rating.objects.filter(skill=skill).count() == 1


def test_skills_with_progress_questions_answered_signals_ticked_tracks_aimed_at_are_kept():
    skill = Skill.objects.last()
    ProgressFactory(skill=skill)
    question = BaselineQuestion.objects.first()
    BaselineAnswerFactory(question=question)
    signal = LadderSignal.objects.first()
    SignalTickFactory(signal=signal)
    track = Track.objects.first()
    UserFactory(target_track=track)
    for row in (skill, question, signal, track):
        with pytest.raises(ProtectedError):
            row.delete()


def test_a_track_a_saved_audit_was_measured_against_cannot_be_deleted():
    track = Track.objects.last()
    AuditFactory(track=track, requirements={"1": "3.0"})
    with pytest.raises(ProtectedError):
        track.delete()


def test_an_unused_skill_can_still_be_deleted():
    skill = Skill.objects.first()
    skill.delete()
    assert not Skill.objects.filter(pk=skill.pk).exists()


# The admin says why, and offers to retire


def test_the_admin_delete_page_says_learners_rated_it_and_offers_retire(client, curator):
    skill = Skill.objects.first()
    AuditFactory(ratings={skill: 4})
    AuditFactory(ratings={skill: 2})
    ProgressFactory(skill=skill)
    client.force_login(curator)

    page = client.get(_admin(Skill, "delete", skill.pk)).content.decode()

    assert "Learners have " in page
    assert "rated this skill 2 times" in page
    assert "tracked their progress on this skill once" in page
    assert "; retire it instead." in page
    assert "Retire it instead" in page
    assert "protected related objects" not in page
    client.post(_admin(Skill, "delete", skill.pk), {"post": "yes"})
    assert Skill.objects.filter(pk=skill.pk).exists()


def test_the_retire_button_retires_the_skill_and_restore_brings_it_back(client, curator):
    skill = Skill.objects.first()
    AuditFactory(ratings={skill: 4})
    client.force_login(curator)

    response = client.post(
        _admin(Skill, "changelist"),
        {"action": "retire", ACTION_CHECKBOX_NAME: [skill.pk], "index": 0},
    )
    assert response.status_code == 302
    skill.refresh_from_db()
    assert skill.retired
    assert "It is retired already" in client.get(_admin(Skill, "delete", skill.pk)).content.decode()

    client.post(
        _admin(Skill, "changelist"),
        {"action": "restore", ACTION_CHECKBOX_NAME: [skill.pk], "index": 0},
    )
    skill.refresh_from_db()
    assert not skill.retired


def test_deleting_several_used_tracks_names_each_with_its_reason(client, curator):
    tracks = list(Track.objects.all()[:2])
    UserFactory(target_track=tracks[0])
    UserFactory(target_track=tracks[1])
    client.force_login(curator)
    page = _text(
        client.post(
            _admin(Track, "changelist"),
            {"action": "delete_selected", ACTION_CHECKBOX_NAME: [t.pk for t in tracks]},
        )
    )
    assert "permission" not in page
    for track in tracks:
        assert f"{track.name}: Learners have chosen this track as their target once" in page
    assert Track.objects.filter(pk__in=[t.pk for t in tracks]).count() == 2


@pytest.mark.parametrize("model", [Skill, Track, BaselineQuestion, LadderSignal])
def test_every_retirable_list_filters_by_retired(client, curator, model):
    client.force_login(curator)
    response = client.get(_admin(model, "changelist"), {"retired__exact": "1"})
    assert response.status_code == 200


# Retired rows leave the public pages and new audits


def test_a_retired_skill_leaves_the_tree_the_trunk_and_the_track_pages(client):
    skill = Skill.objects.select_related("trunk").first()
    assert skill.name in client.get(reverse("curriculum:tree")).content.decode()
    _retire(skill)
    for url in (reverse("curriculum:tree"), skill.trunk.get_absolute_url()):
        assert skill.name not in client.get(url).content.decode()
    assert client.get(skill.get_absolute_url()).status_code == 200


def test_a_retired_track_leaves_the_tracks_page_and_the_profile_choices(client, learner):
    track = Track.objects.first()
    assert track.name in client.get(reverse("curriculum:tracks")).content.decode()
    _retire(track)
    assert track.name not in client.get(reverse("curriculum:tracks")).content.decode()
    client.force_login(learner)
    assert track.name not in client.get(reverse("profile")).content.decode()


def test_a_learner_aiming_at_a_retired_track_keeps_it_on_their_profile(client):
    track = Track.objects.first()
    user = learner_aiming_at(track)
    _retire(track)
    client.force_login(user)
    assert track.name in client.get(reverse("profile")).content.decode()


def test_a_retired_track_leaves_the_dashboards_fit_table_but_stays_the_learners_target(client):
    retired, other = Track.objects.all()[:2]
    user = learner_aiming_at(retired)
    AuditFactory(user=user, ratings={"linear-algebra": 3})
    _retire(retired)
    client.force_login(user)
    page = client.get(reverse("assessments:dashboard")).content.decode()
    fit = page[page.index('id="fit-caption"') :]
    assert other.name in fit
    assert retired.name not in fit
    assert f"gap to {retired.name}" in page


def test_the_quick_audit_asks_only_current_questions(learner_client):
    question = BaselineQuestion.objects.first()
    _retire(question)
    page = learner_client.get(reverse("assessments:quick_audit")).content.decode()
    assert question.text not in page
    assert BaselineQuestion.objects.current().last().text in page


def test_the_full_audit_lists_only_current_skills_and_refuses_a_retired_one(learner_client):
    skill = Skill.objects.first()
    _retire(skill)
    page = learner_client.get(reverse("assessments:audit"))
    assert skill.name not in page.content.decode()
    draft = page.context["audit"]
    response = learner_client.post(
        reverse("assessments:rate", args=[draft.pk]),
        {f"rating-{skill.pk}": "4"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    assert not draft.ratings.exists()


def test_a_new_audit_does_not_carry_over_a_retired_skills_rating(learner_client, learner):
    kept, retired = Skill.objects.all()[:2]
    AuditFactory(user=learner, ratings={kept: 3, retired: 5})
    _retire(retired)
    draft = learner_client.get(reverse("assessments:audit")).context["audit"]
    assert dict(draft.ratings.values_list("skill_id", "value")) == {kept.pk: 3}


def test_a_retired_ladder_signal_leaves_the_ladder_and_a_tick_on_it_survives_a_save(
    learner_client, learner
):
    signal = LadderSignal.objects.first()
    SignalTickFactory(user=learner, signal=signal)
    _retire(signal)
    assert signal.text not in learner_client.get(reverse("curriculum:ladder")).content.decode()
    learner_client.post(reverse("assessments:my_ladder"), {"signals": []})
    assert learner.signal_ticks.filter(signal=signal).exists()


def test_old_audits_and_exports_keep_a_retired_skill(learner_client, learner):
    skill = Skill.objects.first()
    audit = AuditFactory(user=learner, ratings={skill: 4})
    _retire(skill)
    page = learner_client.get(reverse("assessments:audit_ratings", args=[audit.pk]))
    assert skill.name in page.content.decode()
    assert "Retired" in page.content.decode()
    export = learner_client.get(reverse("assessments:export_json")).content.decode()
    assert skill.name in export
    document = export_framework()
    exported = next(s for s in document["skills"] if s["slug"] == skill.slug)
    assert exported["retired"] is True


# The bar a rating was made against


def test_changing_the_mastery_text_raises_its_version_and_nothing_else_does():
    skill = Skill.objects.first()
    skill.name = skill.name + " (renamed)"
    skill.save()
    assert skill.mastery_version == 1
    skill.mastery = "A higher bar."
    skill.save()
    skill.refresh_from_db()
    assert skill.mastery_version == 2


def test_a_rating_keeps_the_version_it_was_made_against(learner_client):
    skill = Skill.objects.first()
    skill.mastery = "A newer bar."
    skill.save()
    draft = learner_client.get(reverse("assessments:audit")).context["audit"]
    learner_client.post(
        reverse("assessments:rate", args=[draft.pk]),
        {f"rating-{skill.pk}": "3"},
        headers={"HX-Request": "true"},
    )
    assert draft.ratings.get(skill=skill).mastery_version == 2


def test_the_audit_and_the_dashboard_say_the_bar_changed_since_the_rating(learner_client, learner):
    skill, other = Skill.objects.all()[:2]
    audit = AuditFactory(user=learner, ratings={skill: 4, other: 3})
    detail = reverse("assessments:audit_detail", args=[audit.pk])
    ratings = reverse("assessments:audit_ratings", args=[audit.pk])
    assert "The bar changed" not in learner_client.get(detail).content.decode()
    assert "The bar changed" not in learner_client.get(ratings).content.decode()

    skill.mastery = "You could teach it to a room of engineers."
    skill.save()
    bump_curriculum()  # as the admin's save does

    page = learner_client.get(detail).content.decode()
    assert skill.name in page.split("The bar changed since you rated")[1]
    page = learner_client.get(ratings).content.decode()
    assert page.count("The bar changed since you rated this") == 1
    dashboard = learner_client.get(reverse("assessments:dashboard")).content.decode()
    assert "The bar changed since you rated" in dashboard
    assert skill.name in dashboard.split("The bar changed since you rated")[1]


def test_a_saved_audit_keeps_the_tracks_requirements_and_says_when_they_change(client):
    curriculum = small_curriculum()
    user = learner_aiming_at(curriculum.track)
    client.force_login(user)
    draft = client.get(reverse("assessments:audit")).context["audit"]
    client.post(
        reverse("assessments:save_audit", args=[draft.pk]),
        {f"rating-{curriculum.skills[0].pk}": "3"},
    )
    audit = Audit.objects.saved().get(user=user)
    technical, domain = curriculum.buckets
    assert audit.track == curriculum.track
    assert audit.requirements == {str(technical.pk): "4.0", str(domain.pk): "2.0"}
    assert (
        "asks for something different"
        not in client.get(reverse("assessments:dashboard")).content.decode()
    )

    requirement = curriculum.track.requirements.get(bucket=technical)
    requirement.level = RequirementLevelFactory(name="Top", target=Decimal("5"))
    requirement.save()
    bump_curriculum()  # as the admin's save does

    dashboard = _text(client.get(reverse("assessments:dashboard")))
    assert "Builder asks for something different now: Technical 4.0 then, 5.0 now." in dashboard
    detail = _text(client.get(reverse("assessments:audit_detail", args=[audit.pk])))
    assert "Technical 4.0 then, 5.0 now" in detail


def test_then_and_now_leaves_out_skills_whose_bar_changed_between_the_audits(client):
    curriculum = small_curriculum()
    python, _stats, git = curriculum.skills[:3]
    user = UserFactory()
    AuditFactory(user=user, days_ago=30, ratings={python: 2, git: 2})
    python.mastery = "A much higher bar."
    python.save()
    latest = AuditFactory(user=user, ratings={git: 4})
    Rating.objects.create(audit=latest, skill=python, value=5, mastery_version=2)
    client.force_login(user)

    response = client.get(reverse("assessments:dashboard"))

    moves = {m.bucket.short_name: (m.then, m.now) for m in response.context["standing"]().moves}
    assert moves["Technical"] == (Decimal("2.0"), Decimal("4.0"))
    page = response.content.decode()
    assert "Left out of both, because their mastery text changed" in page
    assert "Python" in page.split("Left out of both")[1].split("</p>")[0]


# The rules, one function at a time


class _Skill:
    def __init__(self, pk, version):
        self.pk = pk
        self.mastery_version = version


def test_like_with_like_drops_skills_rated_against_different_versions_from_both_sides():
    a, b = _Skill(1, 2), _Skill(2, 1)
    previous = [history.RatedRow(a, 10, 1, 1), history.RatedRow(b, 10, 2, 1)]
    latest = [history.RatedRow(a, 10, 5, 2), history.RatedRow(b, 10, 4, 1)]
    then_now = history.like_with_like(previous, latest)
    assert then_now.excluded == [a]
    assert then_now.previous_levels == {10: Decimal("2.0")}
    assert then_now.levels == {10: Decimal("4.0")}


def test_a_skill_rated_only_once_is_compared_as_it_is():
    a = _Skill(1, 3)
    then_now = history.like_with_like([], [history.RatedRow(a, 10, 3, 3)])
    assert then_now.excluded == []
    assert then_now.levels == {10: Decimal("3.0")}


def test_a_bar_changed_only_when_the_skill_moved_past_the_rated_version():
    assert history.bar_changed(1, _Skill(1, 2))
    assert not history.bar_changed(2, _Skill(1, 2))
    rows = [history.RatedRow(_Skill(1, 2), 1, 3, 1), history.RatedRow(_Skill(2, 1), 1, 3, 1)]
    assert [s.pk for s in history.changed_skill_bars(rows)] == [1]


def test_track_bar_changes_name_moved_added_and_dropped_buckets_in_bucket_order():
    buckets = list(Bucket.objects.all()[:3])
    first, second, third = buckets
    kept = {str(first.pk): "3.0", str(second.pk): "2.0"}
    today = {first.pk: Decimal("4.0"), third.pk: Decimal("2.0")}
    changes = history.track_bar_changes(kept, today, buckets)
    assert [(c.bucket, c.then, c.now) for c in changes] == [
        (first, Decimal("3.0"), Decimal("4.0")),
        (second, Decimal("2.0"), None),
        (third, None, Decimal("2.0")),
    ]
    assert history.track_bar_changes({}, today, buckets) == []


def test_the_framework_file_carries_retired_and_the_mastery_version():
    skill = Skill.objects.first()
    skill.mastery = "Changed."
    skill.save()
    document = export_framework()
    exported = next(s for s in document["skills"] if s["slug"] == skill.slug)
    assert (exported["retired"], exported["mastery_version"]) == (False, 2)
    assert json.dumps(document, default=str)
