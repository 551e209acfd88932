"""Four bugs the suite once let through (issue 26), each pinned where a user would meet it."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessments.audits import save_audit
from assessments.gaps import BucketGap, mean_level, read_levels, round_level
from assessments.models import Audit
from cohorts.models import Cohort
from curriculum.framework import dumps, export_framework
from curriculum.models import Track, Trunk
from tests.factories import (
    AuditFactory,
    RatingFactory,
    RequirementLevelFactory,
    SkillFactory,
    TrackRequirementFactory,
    UserFactory,
    make_cohort,
    make_lead,
    small_curriculum,
)

# 1. Rounding at ties: half up, as a learner reads a level, never Python's half to even.


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("2.25"), Decimal("2.3")),
        (2.25, Decimal("2.3")),
        (Decimal("2.45"), Decimal("2.5")),
        (2.45, Decimal("2.5")),
        (Decimal("3.35"), Decimal("3.4")),
        (Decimal("2.249"), Decimal("2.2")),
        (Decimal("2.251"), Decimal("2.3")),
    ],
)
def test_a_level_on_a_tie_rounds_half_up(value, shown):
    assert round_level(value) == shown


def test_twenty_ratings_summing_to_49_meet_a_two_and_a_half_target():
    level = mean_level([3] * 9 + [2] * 11)
    assert level == Decimal("2.5")
    requirement = TrackRequirementFactory.build(
        level=RequirementLevelFactory.build(target=Decimal("2.5"))
    )
    gap = BucketGap(bucket=None, level=level, requirement=requirement, rated=20)
    assert gap.is_met
    assert gap.gap == 0


@pytest.mark.django_db
def test_a_learners_bucket_level_on_a_tie_reads_half_up():
    curriculum = small_curriculum()
    bucket = curriculum.buckets[0]
    skills = [SkillFactory(trunk=curriculum.trunks[0], bucket=bucket) for _ in range(4)]
    user = UserFactory()
    AuditFactory(user=user, ratings=dict(zip(skills, [2, 2, 2, 3], strict=True)))
    assert read_levels(user).level(bucket) == Decimal("2.3")


# 2. Saving a draft twice: the first save wins; a stale copy changes nothing.


@pytest.mark.django_db
def test_saving_a_stale_copy_of_a_draft_keeps_the_first_snapshot():
    first_track, second_track = Track.objects.all()[:2]
    user = UserFactory(target_track=first_track)
    draft = AuditFactory(user=user, draft=True)
    RatingFactory(audit=draft)
    stale = Audit.objects.get(pk=draft.pk)

    assert save_audit(draft) is True
    saved = Audit.objects.get(pk=draft.pk)
    user.target_track = second_track
    user.save()

    assert save_audit(stale) is False
    after = Audit.objects.get(pk=draft.pk)
    assert after.saved_at == saved.saved_at
    assert after.track_id == first_track.pk
    assert after.requirements == saved.requirements != {}


@pytest.mark.django_db
def test_a_second_save_of_the_same_draft_from_another_tab_is_refused(client):
    track = Track.objects.first()
    user = UserFactory(target_track=track)
    draft = AuditFactory(user=user, draft=True, ratings={"linear-algebra": 3})
    client.force_login(user)
    url = reverse("assessments:save_audit", args=[draft.pk])
    assert client.post(url).status_code == 302
    saved = Audit.objects.get(pk=draft.pk)

    assert client.post(url).status_code == 409
    assert Audit.objects.get(pk=draft.pk).saved_at == saved.saved_at


# 3. Turning an invite link off in two cohorts: NULL, which never collides, not "".


@pytest.mark.django_db
def test_two_cohorts_can_both_turn_their_invite_link_off(client):
    lead = make_lead()
    first, second = make_cohort(lead, name="Spring"), make_cohort(lead, name="Autumn")
    client.force_login(lead)
    for cohort in (first, second):
        response = client.post(
            reverse("cohorts:cohort_invite", args=[cohort.pk]), {"action": "off"}
        )
        assert response.status_code == 302
    assert list(
        Cohort.objects.filter(pk__in=[first.pk, second.pk]).values_list("invite_token", flat=True)
    ) == [None, None]
    page = client.get(second.get_absolute_url()).content.decode()
    assert "The invite link is off" in page


@pytest.mark.django_db
def test_a_link_turned_off_can_be_turned_back_on_with_a_new_token():
    lead = make_lead()
    cohort = make_cohort(lead)
    old = cohort.invite_token
    cohort.turn_off_invite()
    cohort.regenerate_invite()
    cohort.refresh_from_db()
    assert cohort.invite_token not in (None, "", old)


# 4. `true` is not a whole number in the framework file.


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["true", "false", "2.0"])
def test_a_framework_file_with_a_non_integer_trunk_number_is_refused(tmp_path, value):
    text = dumps(export_framework())
    assert '"number": 2,' in text
    file = tmp_path / "framework.json"
    file.write_text(text.replace('"number": 2,', f'"number": {value},', 1), encoding="utf-8")
    before = list(Trunk.objects.values_list("number", "slug"))

    with pytest.raises(CommandError) as raised:
        call_command("import_framework", str(file), replace=True, stdout=io.StringIO())

    message = str(raised.value)
    assert "trunks[1].number" in message
    assert "whole number" in message
    assert list(Trunk.objects.values_list("number", "slug")) == before


@pytest.mark.django_db
def test_a_framework_file_with_whole_trunk_numbers_imports(tmp_path):
    text = dumps(export_framework())
    file = tmp_path / "framework.json"
    file.write_text(text.replace('"number": 2,', '"number": 20,', 1), encoding="utf-8")
    call_command("import_framework", str(file), replace=True, stdout=io.StringIO())
    assert Trunk.objects.filter(number=20).exists()
