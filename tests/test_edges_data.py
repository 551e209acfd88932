"""Rules that live in queries, tried on both sides of their boundary: six weeks in SQL, one
email per lapse and per day, the last lead, the latest full audit, the calibration's rounding."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from assessments.history import bar_report
from assessments.ladder import record_ticks
from assessments.models import Audit, Progress, Rating, SkillNote
from assessments.progress import note_for, record_note, record_progress
from assessments.recommend import NextSkill, with_free_resources
from assessments.warnings import AUDIT_AGE, HYPE_AGE
from cohorts.closing import cohorts_closed_with
from cohorts.members import member_pks, members_of
from cohorts.review import WAITING_PER_PAGE, record_review, review_queue
from curriculum.models import LadderSignal, Skill
from notices.due import (
    digest_key,
    lapsed_learners,
    queue_due,
    queue_review_verdict,
    reminder_key,
    wants,
)
from notices.models import Notice
from tests.factories import (
    AuditFactory,
    ResourceFactory,
    SkillFactory,
    UserFactory,
    claim_test,
    make_cohort,
    make_lead,
    save_full_audit,
    small_curriculum,
)

pytestmark = pytest.mark.django_db

SECOND = timedelta(seconds=1)


@pytest.mark.parametrize(("age", "lapsed"), [(AUDIT_AGE, False), (AUDIT_AGE + SECOND, True)])
def test_the_reminder_query_lapses_just_after_six_weeks_like_the_dashboard(age, lapsed):
    now = timezone.now()
    user = UserFactory()
    audit = AuditFactory(user=user, saved_at=now - age)
    AuditFactory(user=user, saved_at=now - age - timedelta(days=30))
    found = list(lapsed_learners(now))
    assert [(u.pk, u.last_audit_id) for u in found] == ([(user.pk, audit.pk)] if lapsed else [])


def test_a_recent_quick_audit_counts_as_checking_in_and_a_draft_does_not():
    now = timezone.now()
    quick, draft = UserFactory(), UserFactory()
    for user in (quick, draft):
        AuditFactory(user=user, days_ago=60)
    AuditFactory(user=quick, quick=True, days_ago=1)
    AuditFactory(user=draft, draft=True)
    assert [u.pk for u in lapsed_learners(now)] == [draft.pk]


def test_each_lapse_makes_one_reminder_and_each_day_one_digest():
    now = timezone.now()
    learner = UserFactory()
    old = AuditFactory(user=learner, days_ago=60)
    lead = make_lead(email="lead@example.org")
    make_cohort(lead, members=[learner])
    claim_test(learner, Skill.objects.first())

    queue_due(now)
    queue_due(now + timedelta(hours=1))
    assert set(Notice.objects.values_list("user_id", "kind", "key")) == {
        (learner.pk, Notice.Kind.AUDIT_REMINDER, reminder_key(old.pk)),
        (lead.pk, Notice.Kind.REVIEW_DIGEST, digest_key(now)),
    }

    queue_due(now + timedelta(days=1))
    assert Notice.objects.filter(user=lead).count() == 2
    assert Notice.objects.filter(user=learner).count() == 1


def test_only_an_active_person_with_an_address_and_the_email_on_is_written_to():
    assert wants(UserFactory(), Notice.Kind.AUDIT_REMINDER)
    assert not wants(UserFactory(email=""), Notice.Kind.AUDIT_REMINDER)
    assert not wants(UserFactory(is_active=False), Notice.Kind.AUDIT_REMINDER)
    assert not wants(UserFactory(email_review_digest=False), Notice.Kind.REVIEW_DIGEST)
    assert wants(UserFactory(email_review_digest=False), Notice.Kind.REVIEW_VERDICT)


def test_a_cohort_closes_with_its_last_lead_and_not_while_another_leads_it():
    lead, co_lead = make_lead("lead"), make_lead("co")
    alone = make_cohort(lead, name="Alone", members=[UserFactory(), UserFactory()])
    shared = make_cohort(lead, name="Shared")
    shared.leads.add(co_lead)
    closing = list(cohorts_closed_with(lead))
    assert [(c.pk, c.member_count, c.lead_count) for c in closing] == [(alone.pk, 2, 1)]
    assert list(cohorts_closed_with(co_lead)) == []


def test_a_members_standing_is_the_latest_saved_full_audit_and_last_audit_is_either_kind():
    lead = make_lead()
    learner = UserFactory()
    cohort = make_cohort(lead, members=[learner])
    older = AuditFactory(user=learner, days_ago=10)
    latest = AuditFactory(user=learner, days_ago=5)
    quick = AuditFactory(user=learner, quick=True, days_ago=2)
    AuditFactory(user=learner, draft=True)
    (member,) = members_of(cohort)
    assert member.latest_full_audit_id == latest.pk != older.pk
    assert member.last_audit_at == quick.saved_at
    assert member_pks(cohort) == [learner.pk]


def test_the_calibration_mean_of_self_ratings_rounds_a_tie_half_up():
    lead = make_lead()
    other, skill = Skill.objects.order_by("pk")[:2]
    learners = [UserFactory() for _ in range(4)]
    make_cohort(lead, members=learners)
    for learner, rating in zip(learners, [2, 2, 2, 3], strict=True):
        save_full_audit(learner, {other: 5, skill: rating})
        record_review(
            claim_test(learner, skill), lead=lead, outcome=Progress.Review.VERIFIED, comment=""
        )
    calibration = review_queue(lead).calibration
    assert calibration[Progress.Review.VERIFIED]["mean"] == Decimal("2.3")
    assert calibration[Progress.Review.VERIFIED]["rated"] == 4
    assert calibration[Progress.Review.NEEDS_WORK] == {
        "label": "Needs work",
        "count": 0,
        "rated": 0,
        "mean": None,
    }


def test_a_claim_waits_until_reviewed_and_the_lead_never_reviews_their_own():
    lead = make_lead()
    learner = UserFactory()
    make_cohort(lead, members=[learner, lead])
    skill = Skill.objects.order_by("pk").first()
    claim = claim_test(learner, skill)
    claim_test(lead, skill)
    queue = review_queue(lead)
    assert [p.pk for p in queue.waiting] == [claim.pk]
    record_review(claim, lead=lead, outcome=Progress.Review.NEEDS_WORK, comment="Link is 404.")
    queue = review_queue(lead)
    assert list(queue.waiting) == []
    assert [p.pk for p in queue.reviewed] == [claim.pk]
    assert queue.calibration[Progress.Review.NEEDS_WORK]["count"] == 1


def _claims(lead, count):
    skill = Skill.objects.order_by("pk").first()
    learners = [UserFactory() for _ in range(count)]
    make_cohort(lead, members=learners)
    return [claim_test(learner, skill) for learner in learners]


def test_claims_wait_oldest_claim_first_then_oldest_change_then_first_made():
    lead = make_lead()
    now = timezone.now()
    first, second, third, fourth = _claims(lead, 4)
    dates = {
        first: (now - timedelta(days=1), now - timedelta(hours=1)),
        second: (now - timedelta(days=3), now),
        third: (now - timedelta(days=1), now - timedelta(hours=2)),
        fourth: (now - timedelta(days=1), now - timedelta(hours=2)),
    }
    for claim, (passed_at, updated_at) in dates.items():
        Progress.objects.filter(pk=claim.pk).update(passed_at=passed_at, updated_at=updated_at)
    waiting = review_queue(lead).waiting
    assert [p.pk for p in waiting] == [second.pk, third.pk, fourth.pk, first.pk]
    assert waiting.paginator.count == 4


def test_the_latest_reviews_come_newest_first_and_a_tie_the_latest_made_first():
    lead = make_lead()
    now = timezone.now()
    first, second, third = _claims(lead, 3)
    record_review(first, lead=lead, outcome=Progress.Review.VERIFIED, comment="", now=now)
    record_review(second, lead=lead, outcome=Progress.Review.VERIFIED, comment="", now=now)
    record_review(third, lead=lead, outcome=Progress.Review.VERIFIED, comment="", now=now - SECOND)
    queue = review_queue(lead)
    assert [p.pk for p in queue.reviewed] == [second.pk, first.pk, third.pk]
    assert queue.waiting.paginator.count == 0
    assert list(queue.waiting) == []


def test_the_twenty_sixth_claim_waits_on_the_second_page():
    lead = make_lead()
    claims = _claims(lead, WAITING_PER_PAGE + 1)
    assert len(review_queue(lead).waiting) == WAITING_PER_PAGE
    second = review_queue(lead, page_number=2).waiting
    assert [p.pk for p in second] == [claims[-1].pk]
    assert second.paginator.count == WAITING_PER_PAGE + 1


def test_recording_progress_twice_keeps_one_row_dated_by_the_first_post():
    user, skill = UserFactory(), Skill.objects.order_by("pk").first()
    day = timezone.now() - timedelta(days=5)
    record_progress(user, skill, Progress.Status.LEARNING, note="Reading.", now=day)
    progress = record_progress(user, skill, Progress.Status.LEARNING)
    assert Progress.objects.filter(user=user, skill=skill).count() == 1
    progress.refresh_from_db()
    assert (progress.learning_since, progress.note, progress.evidence_url) == (day, "", "")


def test_the_same_evidence_posted_again_keeps_needs_work_unless_resubmitted():
    lead, user = make_lead(), UserFactory()
    skill = Skill.objects.order_by("pk").first()
    url = "https://example.org/proof"
    claim = record_progress(user, skill, Progress.Status.TEST_PASSED, evidence_url=url)
    record_review(claim, lead=lead, outcome=Progress.Review.NEEDS_WORK, comment="Add tests.")
    again = record_progress(user, skill, Progress.Status.TEST_PASSED, evidence_url=url)
    assert again.review == Progress.Review.NEEDS_WORK
    resubmitted = record_progress(
        user, skill, Progress.Status.TEST_PASSED, evidence_url=url, resubmit=True
    )
    assert (resubmitted.review, resubmitted.review_comment) == (Progress.Review.PENDING, "")


def test_saving_ticks_keeps_the_tick_of_a_retired_signal():
    user = UserFactory()
    kept, retired, dropped = LadderSignal.objects.order_by("pk")[:3]
    record_ticks(user, [kept, retired, dropped])
    LadderSignal.objects.filter(pk=retired.pk).update(retired=True)
    record_ticks(user, [kept])
    assert set(user.signal_ticks.values_list("signal_id", flat=True)) == {kept.pk, retired.pk}


def test_cohorts_closing_with_a_lead_are_listed_by_name_then_age():
    lead = make_lead()
    later = make_cohort(lead, name="Beta")
    first = make_cohort(lead, name="Alpha")
    twin = make_cohort(lead, name="Alpha")
    assert [c.pk for c in cohorts_closed_with(lead)] == [first.pk, twin.pk, later.pk]


def test_a_review_saved_from_a_stale_copy_keeps_the_evidence_the_learner_changed_meanwhile():
    lead, user = make_lead(), UserFactory()
    skill = Skill.objects.order_by("pk").first()
    claim = claim_test(user, skill)
    stale = Progress.objects.get(pk=claim.pk)
    record_progress(user, skill, Progress.Status.TEST_PASSED, evidence_url="https://example.org/v2")
    record_review(stale, lead=lead, outcome=Progress.Review.VERIFIED, comment="")
    claim.refresh_from_db()
    assert (claim.evidence_url, claim.review) == ("https://example.org/v2", "verified")


def test_a_review_queues_its_verdict_once_and_a_cleared_review_queues_nothing():
    lead, user = make_lead(), UserFactory()
    claim = claim_test(user, Skill.objects.order_by("pk").first())
    record_review(claim, lead=lead, outcome=Progress.Review.VERIFIED, comment="")
    queue_review_verdict(sender=None, progress=claim)
    assert Notice.objects.filter(user=user, kind=Notice.Kind.REVIEW_VERDICT).count() == 1
    cleared = claim_test(UserFactory(), Skill.objects.order_by("pk").last())
    cleared.reviewed_at = timezone.now()
    queue_review_verdict(sender=None, progress=cleared)
    assert Notice.objects.filter(kind=Notice.Kind.REVIEW_VERDICT).count() == 1


def test_a_learners_note_is_their_own_on_that_skill_or_a_blank_one():
    user, other = UserFactory(), UserFactory()
    skill, elsewhere = Skill.objects.order_by("pk")[:2]
    record_note(other, skill, "Not mine.")
    record_note(user, elsewhere, "Another skill.")
    blank = note_for(user, skill)
    assert (blank.pk, blank.user, blank.skill, blank.text) == (None, user, skill, "")
    record_note(user, skill, "Mine.")
    assert note_for(user, skill).text == "Mine."


def test_the_bar_report_names_moved_bars_and_compares_like_with_like():
    curriculum = small_curriculum()
    technical, domain = curriculum.buckets
    python, stats, git, prompt = curriculum.skills[:4]
    first = SkillFactory(trunk=curriculum.trunks[0], bucket=domain, order=0)
    user = UserFactory()
    previous = AuditFactory(user=user, days_ago=30, ratings={python: 2, stats: 3})
    latest = AuditFactory(
        user=user,
        ratings={prompt: 1, git: 5, python: 4, stats: 3, first: 2},
        track=curriculum.track,
        requirements={str(technical.pk): "4", str(domain.pk): "3"},
    )
    Rating.objects.update(mastery_version=1)
    Rating.objects.filter(audit=previous, skill=python).update(mastery_version=0)
    Skill.objects.filter(pk__in=[python.pk, git.pk, prompt.pk, first.pk]).update(mastery_version=2)

    report = bar_report(latest, curriculum.buckets, previous=previous)

    assert [s.pk for s in report.changed_skills] == [first.pk, python.pk, git.pk, prompt.pk]
    assert report.track == curriculum.track
    assert [(c.bucket.pk, c.then, c.now) for c in report.track_changes] == [
        (domain.pk, Decimal("3"), Decimal("2"))
    ]
    assert report.changed
    assert [s.pk for s in report.then_now.excluded] == [python.pk]
    assert report.then_now.previous_levels == {domain.pk: Decimal("3.0")}
    assert report.then_now.levels == {technical.pk: Decimal("5.0"), domain.pk: Decimal("2.0")}


def test_a_bar_report_without_a_kept_track_or_a_previous_audit_reports_no_move():
    curriculum = small_curriculum()
    python = curriculum.skills[0]
    user = UserFactory()
    audit = AuditFactory(user=user, ratings={python: 3}, track=curriculum.track)
    report = bar_report(audit, curriculum.buckets)
    assert (report.changed_skills, report.track, report.track_changes) == ([], None, [])
    assert report.then_now is None
    assert not report.changed
    quick = AuditFactory(user=user, quick=True, requirements={"1": "2"})
    assert bar_report(quick, curriculum.buckets, previous=audit).then_now is None


def test_only_active_people_with_an_address_who_chose_reminders_are_reminded():
    now = timezone.now()
    lapsed = [
        UserFactory(),
        UserFactory(is_active=False),
        UserFactory(email=""),
        UserFactory(email_audit_reminders=False),
        UserFactory(emails_chosen_at=None),  # on from before sign-up asked: never chose
    ]
    for user in lapsed:
        AuditFactory(user=user, days_ago=60)
    assert [u.pk for u in lapsed_learners(now)] == [lapsed[0].pk]


def test_a_next_skill_gets_its_first_free_resource_by_order_then_age():
    skills = [SkillFactory(), SkillFactory()]
    paid = ResourceFactory(skill=skills[0], is_free=False, order=0)
    later = ResourceFactory(skill=skills[0], order=2)
    first = ResourceFactory(skill=skills[0], order=1)
    ResourceFactory(skill=skills[1], order=1)
    twin = ResourceFactory(skill=skills[1], order=0)
    ResourceFactory(skill=skills[1], order=0)
    items = [NextSkill(skill, None, None, None, tier=0) for skill in skills]
    resources = [item.resource for item in with_free_resources(items)]
    assert resources == [first, twin]
    assert paid not in resources and later not in resources


# The lead's heatmap (cohorts.heatmap) and who a lead reads (cohorts.members)


def _heatmap_rows(cohort, **options):
    from cohorts.heatmap import cohort_grid

    return {row.learner.username: row for row in cohort_grid(cohort, **options).rows}


def test_each_heatmap_row_counts_the_learners_own_learning_and_passed_tests():
    ada, ben = UserFactory(username="ada"), UserFactory(username="ben")
    skills = list(Skill.objects.order_by("pk")[:4])
    for skill in skills[:2]:
        Progress.objects.create(user=ada, skill=skill, status=Progress.Status.LEARNING)
    claim_test(ada, skills[2])
    cohort = make_cohort(make_lead(), members=[ada, ben])

    rows = _heatmap_rows(cohort)

    assert (rows["ada"].learning, rows["ada"].passed, rows["ada"].waiting) == (2, 1, 1)
    assert (rows["ben"].learning, rows["ben"].passed, rows["ben"].waiting) == (0, 0, 0)
    assert not rows["ben"].stuck


def test_learners_aiming_at_tracks_of_the_same_order_sort_by_the_tracks_name():
    from curriculum.models import Track

    first, second = Track.objects.order_by("order")[:2]
    Track.objects.filter(pk__in=[first.pk, second.pk]).update(order=1)
    early, late = sorted([first, second], key=lambda track: track.name)
    zed = UserFactory(username="zed", display_name="Zed", target_track=early)
    amy = UserFactory(username="amy", display_name="Amy", target_track=late)
    cohort = make_cohort(make_lead(), members=[zed, amy])
    assert list(_heatmap_rows(cohort, sort="track")) == ["zed", "amy"]


def test_without_a_page_number_the_heatmap_starts_at_its_first_page(monkeypatch):
    from cohorts.heatmap import PER_PAGE, cohort_grid

    monkeypatch.setitem(PER_PAGE, "trunks", 2)
    members = [UserFactory(username=name, display_name=name) for name in ("Ada", "Ben", "Cy")]
    grid = cohort_grid(make_cohort(make_lead(), members=members))
    assert grid.page.number == 1
    assert [row.learner.shown_name for row in grid.rows] == ["Ada", "Ben"]


def test_the_heatmap_reads_hype_substitution_against_each_learners_own_track():
    """Research engineering needs trunk 2 of the foundations, not trunk 1: two trunk-1 skills at
    1 are no neglect of it. With no track every foundation counts."""
    from curriculum.models import Track

    engineer = Track.objects.get(slug="research-engineer")
    hype_skills = list(Skill.objects.filter(trunk__number__in=(3, 4)).order_by("pk")[:3])
    trunk_one = list(Skill.objects.filter(trunk__number=1).order_by("pk")[:2])
    lately = timezone.now() - timedelta(days=7)
    people = {
        "aimed": UserFactory(username="aimed", target_track=engineer),
        "unaimed": UserFactory(username="unaimed", target_track=None),
    }
    for user in people.values():
        save_full_audit(user, dict.fromkeys(trunk_one, 1), days_ago=2)
        for skill in hype_skills:
            Progress.objects.create(
                user=user, skill=skill, status=Progress.Status.LEARNING, learning_since=lately
            )
    cohort = make_cohort(make_lead(), members=list(people.values()))

    rows = _heatmap_rows(cohort)

    assert (rows["aimed"].hype, rows["unaimed"].hype) == (False, True)


@pytest.mark.parametrize("restricted", [False, True])
def test_a_lead_reads_their_learners_claims_only_while_they_may_lead(settings, restricted):
    from django.contrib.auth.models import Group

    from cohorts.review import evidence_claims

    settings.COHORTS_RESTRICTED_TO_GROUP = restricted
    lead, ada = make_lead(), UserFactory(username="ada")
    make_cohort(lead, members=[ada])
    claim = claim_test(ada, Skill.objects.order_by("pk").first())
    assert list(evidence_claims(lead)) == [claim]

    lead.groups.remove(Group.objects.get(name="Cohort leads"))
    assert list(evidence_claims(lead)) == ([] if restricted else [claim])

    lead.groups.add(Group.objects.get(name="Cohort leads"))
    lead.is_active = False
    lead.save()
    assert list(evidence_claims(lead)) == []


def test_tests_passed_long_ago_are_not_skills_stuck_in_learning_on_the_heatmap():
    """A passed test keeps the day learning began: only rows still "learning" count as stuck."""
    long_ago = timezone.now() - timedelta(weeks=8)
    dee = UserFactory(username="dee")
    for skill in Skill.objects.order_by("pk")[:3]:
        claim_test(dee, skill, passed_at=long_ago)
    Progress.objects.filter(user=dee).update(learning_since=long_ago - timedelta(weeks=1))
    cohort = make_cohort(make_lead(), members=[dee])

    assert not _heatmap_rows(cohort)["dee"].stuck


def _lead_and_learner_see_hype(user):
    """Whether the lead's heatmap flags `user` for hype substitution, and whether the learner's
    own dashboard warns of it (the same rule, once in SQL for a cohort, once in Python)."""
    from assessments.standing import standing_for

    row = _heatmap_rows(make_cohort(make_lead(), members=[user]))[user.username]
    return row.hype, "hype-substitution" in [w.slug for w in standing_for(user).warnings]


def _research_scientist(username):
    from curriculum.models import Track

    return UserFactory(username=username, target_track=Track.objects.get(name="Research Scientist"))


def _learning(learner, skills, *, days_ago):
    """`learner` learning each of `skills` since `days_ago`."""
    for skill in skills:
        Progress.objects.create(
            user=learner,
            skill=skill,
            status=Progress.Status.LEARNING,
            learning_since=timezone.now() - timedelta(days=days_ago),
        )


def _practical_skills():
    return list(Skill.objects.filter(trunk__number=4).order_by("order", "pk")[:3])


def _foundations_at_two():
    return dict.fromkeys(Skill.objects.filter(trunk__number__in=(1, 2)), 2)


def test_practical_skills_started_two_months_ago_are_no_hype_of_the_last_four_weeks():
    learner = _research_scientist("slow")
    save_full_audit(learner, _foundations_at_two(), days_ago=2)
    _learning(learner, _practical_skills(), days_ago=60)
    assert _lead_and_learner_see_hype(learner) == (False, False)


def test_a_note_on_a_foundation_last_edited_two_months_ago_does_not_hide_hype():
    from tests.factories import learner_chasing_hype

    learner = learner_chasing_hype(username="noted")
    note = SkillNote.objects.create(
        user=learner, skill=Skill.objects.filter(trunk__number=1).first(), text="Old notes."
    )
    SkillNote.objects.filter(pk=note.pk).update(updated_at=timezone.now() - timedelta(days=60))
    assert _lead_and_learner_see_hype(learner) == (True, True)


def test_a_rise_is_read_against_the_audit_saved_just_before_not_the_one_made_last():
    """The audit saved 40 days ago rated the practical skills 1; one saved 60 days ago but
    entered afterwards rated them 3. Rated 3 two days ago, they rose: hype. The audits before
    rate nothing else, so no foundation can seem to rise."""
    learner = _research_scientist("riser")
    practical = _practical_skills()
    save_full_audit(learner, dict.fromkeys(practical, 1), days_ago=40)
    save_full_audit(learner, dict.fromkeys(practical, 3), days_ago=60)
    save_full_audit(learner, {**_foundations_at_two(), **dict.fromkeys(practical, 3)}, days_ago=2)
    assert _lead_and_learner_see_hype(learner) == (True, True)


def test_a_rise_in_a_full_audit_saved_five_weeks_ago_is_no_hype_of_the_last_four_weeks():
    learner = _research_scientist("earlier")
    practical = _practical_skills()
    save_full_audit(learner, dict.fromkeys(practical, 1), days_ago=70)
    save_full_audit(learner, {**_foundations_at_two(), **dict.fromkeys(practical, 2)}, days_ago=35)
    assert _lead_and_learner_see_hype(learner) == (False, False)


@pytest.mark.parametrize(("age", "hype"), [(HYPE_AGE, True), (HYPE_AGE + SECOND, False)])
def test_a_rise_in_an_audit_saved_four_weeks_ago_to_the_second_is_still_recent_on_the_heatmap(
    age, hype
):
    learner = _research_scientist("edge")
    practical = _practical_skills()
    now = timezone.now()
    save_full_audit(learner, dict.fromkeys(practical, 1), days_ago=70)
    latest = save_full_audit(learner, {**_foundations_at_two(), **dict.fromkeys(practical, 2)})
    Audit.objects.filter(pk=latest.pk).update(saved_at=now - age)
    cohort = make_cohort(make_lead(), members=[learner])

    assert _heatmap_rows(cohort, now=now)["edge"].hype is hype


def _learning_practical_skills_since_last_week(learner):
    _learning(learner, _practical_skills(), days_ago=6)


def test_a_foundation_that_rose_in_an_audit_saved_five_weeks_ago_does_not_hide_hype():
    """Rated 1 ten weeks ago and 2 five weeks ago: the rise is older than four weeks, so the
    foundations still sit at 2, untouched lately, while practical skills started last week."""
    learner = _research_scientist("rose-early")
    save_full_audit(learner, dict.fromkeys(_foundations_at_two(), 1), days_ago=70)
    save_full_audit(learner, _foundations_at_two(), days_ago=35)
    _learning_practical_skills_since_last_week(learner)
    assert _lead_and_learner_see_hype(learner) == (True, True)


def test_a_foundation_rated_up_from_two_to_three_lately_is_foundation_work_and_no_hype():
    learner = _research_scientist("rose-lately")
    save_full_audit(learner, _foundations_at_two(), days_ago=70)
    risen = Skill.objects.filter(trunk__number=1).order_by("order", "pk").first()
    save_full_audit(learner, {**_foundations_at_two(), risen: 3}, days_ago=2)
    _learning_practical_skills_since_last_week(learner)
    assert _lead_and_learner_see_hype(learner) == (False, False)


def test_of_two_audits_saved_in_the_same_instant_a_rise_is_read_against_the_one_made_last():
    """As a learner's standing reads them: on a tie of `saved_at`, the audit created last."""
    learner = _research_scientist("tied")
    practical = _practical_skills()
    first = save_full_audit(learner, dict.fromkeys(practical, 3), days_ago=40)
    made_last = save_full_audit(learner, dict.fromkeys(practical, 1), days_ago=40)
    Audit.objects.filter(pk=made_last.pk).update(saved_at=first.saved_at)
    save_full_audit(learner, {**_foundations_at_two(), **dict.fromkeys(practical, 3)}, days_ago=2)
    assert _lead_and_learner_see_hype(learner) == (True, True)


def test_three_skills_started_learning_last_week_are_no_tutorial_loop_for_lead_or_learner():
    from assessments.standing import standing_for

    learner = UserFactory(username="fresh")
    _learning(learner, Skill.objects.order_by("pk")[:3], days_ago=6)
    row = _heatmap_rows(make_cohort(make_lead(), members=[learner]))["fresh"]
    warnings = [warning.slug for warning in standing_for(learner).warnings]
    assert (row.stuck, "tutorial-loop" in warnings) == (False, False)


def test_a_learner_with_quick_audits_only_reads_their_own_answers_and_rates_no_skill():
    """Another learner's quick audit saved since is not theirs; a quick audit's answers are
    levels of buckets, never ratings of skills (their keys are questions)."""
    from assessments.gaps import read_levels

    ada, ben = UserFactory(username="ada"), UserFactory(username="ben")
    AuditFactory(user=ada, quick=True, answers={1: 2}, days_ago=10)
    AuditFactory(user=ben, quick=True, answers={1: 5}, days_ago=1)
    reading = read_levels(ada)
    assert (reading.audit.user, list(reading.levels.values())) == (ada, [Decimal(2)])
    assert reading.ratings == {}
