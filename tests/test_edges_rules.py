"""Each rule with a boundary, tried on both sides of it: pure functions, no database."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest

from assessments.gaps import (
    BucketGap,
    Reading,
    TrackFit,
    bucket_gaps,
    mean_level,
    ratings_needed,
    track_fit,
)
from assessments.history import RatedRow, bar_changed, like_with_like, track_bar_changes
from assessments.ladder import ladder_level, ladder_standing
from assessments.models import Audit, Progress
from assessments.path import GRACE_WEEKS, Pace, keeps_pace, path_position, phase_trunks
from assessments.progress import apply_progress
from assessments.recommend import next_skills
from assessments.warnings import (
    AUDIT_AGE,
    LOOP_AGE,
    HypeFinding,
    audit_is_due,
    failure_warnings,
    is_stuck,
    trunk_sprawl,
    tutorial_loop,
)
from cohorts.heatmap import Cell, is_stale
from curriculum.models import FailureMode, Skill, Trunk

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)


# Gaps: the shortfall below a target, never credit for a surplus.


def _requirement(target):
    return SimpleNamespace(bucket_id=None, level=SimpleNamespace(target=Decimal(target)))


@pytest.mark.parametrize(
    ("level", "gap", "met"),
    [
        ("2.9", "0.1", False),
        ("3.0", "0", True),
        ("3.1", "0", True),
    ],
)
def test_a_bucket_just_below_at_and_just_above_its_target(level, gap, met):
    bucket_gap = BucketGap(bucket=None, level=Decimal(level), requirement=_requirement("3"))
    assert bucket_gap.gap == Decimal(gap)
    assert bucket_gap.is_met is met


def test_a_bucket_without_a_level_or_a_target_has_no_gap_and_is_not_met():
    unknown = BucketGap(bucket=None, level=None, requirement=_requirement("3"))
    untargeted = BucketGap(bucket=None, level=Decimal("2"))
    for bucket_gap in (unknown, untargeted):
        assert bucket_gap.gap is None
        assert not bucket_gap.is_met
    assert untargeted.target is None


def test_no_values_have_no_level_and_one_value_is_its_own_level():
    assert mean_level([]) is None
    assert mean_level(iter([4])) == Decimal("4.0")


def _fit(*pairs):
    return TrackFit(
        track=None,
        gaps=[
            BucketGap(
                bucket=None,
                level=None if level is None else Decimal(level),
                requirement=_requirement(target),
            )
            for level, target in pairs
        ],
    )


def test_a_surplus_never_offsets_a_shortfall_in_the_total():
    fit = _fit(("2", "3"), ("5", "3"))
    assert fit.total_gap == Decimal("1")
    assert not fit.is_met
    assert [g.level for g in fit.shortfalls] == [Decimal("2")]


def test_a_track_is_met_only_with_no_shortfall_and_no_unknown_bucket():
    assert _fit(("3", "3"), ("4", "3")).is_met
    unknown = _fit(("3", "3"), (None, "3"))
    assert unknown.total_gap == 0
    assert len(unknown.unknown) == 1
    assert not unknown.is_met


def _bucket(pk):
    return SimpleNamespace(pk=pk)


def _track(name, targets):
    requirements = [
        SimpleNamespace(bucket_id=pk, level=SimpleNamespace(target=Decimal(t)))
        for pk, t in targets.items()
    ]
    return SimpleNamespace(name=name, requirements=SimpleNamespace(all=lambda: requirements))


def test_tracks_rank_by_total_gap_and_a_tie_keeps_the_track_order():
    buckets = [_bucket(1), _bucket(2)]
    reading = Reading(levels={1: Decimal("2"), 2: Decimal("3")}, counts={1: 1, 2: 1})
    tracks = [
        _track("far", {1: "4", 2: "4"}),
        _track("tie-a", {1: "3", 2: "3"}),
        _track("tie-b", {1: "2", 2: "4"}),
    ]
    fits = track_fit(reading, tracks, buckets)
    assert [(f.track.name, f.rank, f.total_gap) for f in fits] == [
        ("tie-a", 1, Decimal("1")),
        ("tie-b", 2, Decimal("1")),
        ("far", 3, Decimal("3")),
    ]
    gaps = bucket_gaps(reading, None, buckets)
    assert [(g.level, g.target, g.rated) for g in gaps] == [
        (Decimal("2"), None, 1),
        (Decimal("3"), None, 1),
    ]


@pytest.mark.parametrize(
    ("rated", "available", "needed"),
    [(0, 5, 2), (1, 5, 1), (2, 5, 0), (3, 5, 0), (0, 1, 1), (1, 1, 0), (0, 0, 0)],
)
def test_a_bucket_ranks_tracks_from_its_second_rating_or_every_skill_it_has(
    rated, available, needed
):
    assert ratings_needed(rated, available) == needed


def test_a_thinly_rated_track_comes_after_the_ranked_ones_without_a_rank():
    buckets = [_bucket(1), _bucket(2), _bucket(3)]
    reading = Reading(levels={1: Decimal("2"), 2: Decimal("3")}, counts={1: 1, 2: 2})
    tracks = [
        _track("thinner", {3: "2"}),
        _track("thin", {1: "2", 2: "3"}),
        _track("ranked", {2: "5"}),
    ]
    fits = track_fit(reading, tracks, buckets, available={1: 5, 2: 5, 3: 5})
    assert [(f.track.name, f.rank, f.is_ranked, f.ratings_needed) for f in fits] == [
        ("ranked", 1, True, 0),
        ("thin", None, False, 1),
        ("thinner", None, False, 2),
    ]
    assert fits[1].total_gap == 0
    assert not fits[1].is_met
    assert [(bucket.pk, needed) for bucket, needed in fits[1].missing] == [(1, 1)]
    (no_skills,) = track_fit(
        reading, [_track("empty bucket", {4: "2"})], [_bucket(4)], available={}
    )
    assert (no_skills.rank, no_skills.is_ranked, len(no_skills.unknown)) == (1, True, 1)


def test_a_quick_audit_covers_its_buckets_whatever_the_skill_counts():
    buckets = [_bucket(1)]
    reading = Reading(audit=Audit(kind=Audit.Kind.QUICK), levels={1: Decimal("2")}, counts={1: 1})
    (fit,) = track_fit(reading, [_track("t", {1: "2"})], buckets, available={1: 5})
    assert (fit.rank, fit.is_met) == (1, True)


# Next skills: a gap above zero, the strongest need first.


def _skill(pk, bucket_id, trunk_id=1, trunk_number=1, order=1):
    return SimpleNamespace(
        pk=pk,
        bucket_id=bucket_id,
        trunk_id=trunk_id,
        order=order,
        trunk=SimpleNamespace(number=trunk_number),
    )


def _advice_track(targets, depth_trunk_id=1, literacy=()):
    track = _track("t", targets)
    track.depth_trunk_id = depth_trunk_id
    trunks = [SimpleNamespace(pk=pk) for pk in literacy]
    track.literacy_trunks = SimpleNamespace(all=lambda: trunks)
    return track


@pytest.mark.parametrize(("rating", "advised"), [(2, True), (3, False), (4, False)])
def test_a_skill_rated_just_below_at_or_above_its_target(rating, advised):
    track = _advice_track({1: "3"})
    reading = Reading(ratings={10: rating}, levels={1: Decimal(rating)})
    advice = next_skills(track, [_skill(10, 1)], reading)
    assert [a.skill.pk for a in advice] == ([10] if advised else [])
    if advised:
        assert advice[0].gap == Decimal("1")
        assert not advice[0].is_estimated


@pytest.mark.parametrize(("level", "advised"), [("2.9", True), ("3.0", False)])
def test_an_unrated_skill_takes_its_buckets_gap(level, advised):
    track = _advice_track({1: "3"})
    reading = Reading(levels={1: Decimal(level)})
    advice = next_skills(track, [_skill(10, 1)], reading)
    assert [(a.skill.pk, a.gap, a.is_estimated) for a in advice] == (
        [(10, Decimal("0.1"), True)] if advised else []
    )


def test_a_passed_test_or_an_unrequired_bucket_leaves_a_skill_out():
    track = _advice_track({1: "3"})
    skills = [_skill(10, 1), _skill(11, 1), _skill(12, 2)]
    statuses = {10: Progress.Status.TEST_PASSED, 11: Progress.Status.LEARNING}
    advice = next_skills(track, skills, Reading(), statuses)
    assert [(a.skill.pk, a.status, a.gap) for a in advice] == [(11, "learning", None)]
    assert next_skills(None, skills, Reading()) == []


def test_the_order_of_next_skills_at_each_tie():
    track = _advice_track({1: "4", 2: "3"}, depth_trunk_id=1, literacy=(2,))
    skills = [
        _skill(1, 2, trunk_id=1),  # lower target
        _skill(2, 1, trunk_id=3, trunk_number=3),  # elsewhere
        _skill(3, 1, trunk_id=2, trunk_number=2),  # literacy
        _skill(4, 1, trunk_id=1, order=5),  # depth, estimated, no level
        _skill(5, 1, trunk_id=1, order=4),  # depth, rated, small gap
        _skill(6, 1, trunk_id=1, order=6),  # depth, rated, big gap
        _skill(7, 1, trunk_id=1, order=3),  # depth, rated, big gap, earlier in the trunk
    ]
    reading = Reading(ratings={5: 3, 6: 1, 7: 1, 2: 1, 3: 1, 1: 1})
    advice = next_skills(track, skills, reading, count=7)
    assert [a.skill.pk for a in advice] == [7, 6, 5, 4, 3, 2, 1]
    assert [a.tier_label for a in advice[3:6]] == [
        "depth trunk",
        "literacy trunk",
        "elsewhere in the tree",
    ]
    assert [a.skill.pk for a in next_skills(track, skills, reading)] == [7, 6, 5]


def test_rated_before_estimated_and_a_known_estimate_before_an_unknown_one():
    track = _advice_track({1: "4", 2: "4"})
    skills = [_skill(1, 2, order=1), _skill(2, 1, order=2), _skill(3, 1, order=3)]
    reading = Reading(ratings={3: 3}, levels={1: Decimal("1")})
    advice = next_skills(track, skills, reading)
    assert [(a.skill.pk, a.gap) for a in advice] == [
        (3, Decimal("1")),
        (2, Decimal("3")),
        (1, None),
    ]
    assert advice[1].bucket_level == Decimal("1")
    assert advice[1].target == Decimal("4")


# The ladder: every signal of every level up to it.


def _level(number, *signal_ids):
    signals = [SimpleNamespace(pk=pk) for pk in signal_ids]
    return SimpleNamespace(
        number=number, name=f"Rung {number}", signals=SimpleNamespace(all=lambda: signals)
    )


LADDER = [_level(1, 11, 12), _level(2, 21), _level(3, 31, 32)]


@pytest.mark.parametrize(
    ("ticked", "reached"),
    [
        (set(), 0),
        ({11}, 0),
        ({11, 12}, 1),
        ({11, 12, 21, 31}, 2),
        ({11, 12, 21, 31, 32}, 3),
        ({12, 21, 31, 32}, 0),
    ],
)
def test_a_level_is_reached_with_its_last_signal_and_every_level_below(ticked, reached):
    assert ladder_level(ticked, LADDER) == reached
    assert ladder_level([SimpleNamespace(signal_id=pk) for pk in ticked], LADDER) == reached


def test_standing_marks_the_levels_reached_and_names_the_next():
    standing = ladder_standing({11, 12, 31}, list(reversed(LADDER)))
    assert (standing.number, standing.level.number, standing.next_level.number) == (1, 1, 2)
    assert [row.reached for row in standing.levels] == [True, False, False]
    assert [(row.ticked_count, row.total) for row in standing.levels] == [(2, 2), (0, 1), (1, 2)]
    assert standing.label == "Level 1: Rung 1"
    top = ladder_standing({11, 12, 21, 31, 32}, LADDER)
    assert (top.number, top.next_level) == (3, None)
    assert ladder_standing(set(), LADDER).label == "Level 0 — not yet on the ladder"


def test_a_level_a_curator_numbered_zero_is_never_marked_reached():
    standing = ladder_standing(set(), [_level(0), *LADDER])
    assert [row.reached for row in standing.levels] == [False, False, False, False]


# The path: week 1 is the start day and the six after it; the path ends after its last week.


def _phase(order, start, end, name=None, trunks=None, in_depth_trunk=False):
    return SimpleNamespace(
        order=order,
        start_week=start,
        end_week=end,
        name=name or f"P{order}",
        taught_trunks=[
            SimpleNamespace(number=n) for n in (trunks if trunks is not None else (order,))
        ],
        in_depth_trunk=in_depth_trunk,
    )


PHASES = [_phase(1, 1, 3), _phase(2, 4, 20)]
START = date(2026, 1, 5)


@pytest.mark.parametrize(
    ("days", "state", "week", "phase", "completed"),
    [
        (-1, "before", None, None, 0),
        (0, "during", 1, 1, 0),
        (6, "during", 1, 1, 0),
        (7, "during", 2, 1, 0),
        (20, "during", 3, 1, 0),
        (21, "during", 4, 2, 1),
        (139, "during", 20, 2, 1),
        (140, "after", 21, None, 2),
    ],
)
def test_the_path_on_each_side_of_its_week_boundaries(days, state, week, phase, completed):
    position = path_position(START, START + timedelta(days=days), PHASES)
    assert position.state == state
    assert position.week == week
    assert (position.phase.order if position.phase else None) == phase
    assert position.phases_completed == completed
    assert position.is_on_path is (state == "during")
    if state == "during":
        assert position.day == days + 1


def test_the_days_until_the_path_starts_are_counted_in_words():
    one = path_position(START, START - timedelta(days=1))
    two = path_position(START, START - timedelta(days=2))
    assert one.days_until_start == 1
    assert one.summary == "Your path starts in 1 day."
    assert two.describe("Ada") == "Ada’s path starts in 2 days."
    assert (
        path_position(None, START).describe("Ada")
        == "Ada has not set the date they started the path."
    )
    assert path_position(None, START).summary == "You have not set the date you started the path."
    after = path_position(START, START + timedelta(days=140))
    assert after.summary == "You have finished the 20 weeks of the path."
    assert after.describe("Ada") == "Ada has finished the 20 weeks of the path."
    assert path_position(START, START).summary == "Week 1 of 20."


def test_grace_ends_exactly_three_weeks_after_joining():
    position = path_position(START, START + timedelta(weeks=10), PHASES)
    last_day = keeps_pace(position, PHASES, [], days_since_joining=GRACE_WEEKS * 7 - 1)
    over = keeps_pace(position, PHASES, [], days_since_joining=GRACE_WEEKS * 7)
    assert (last_day.grace_days_left, last_day.in_grace, last_day.on_pace) == (1, True, True)
    assert last_day.behind_by == 0
    assert last_day.label == "Settling in"
    assert "Pace counts in 1 day:" in last_day.summary
    assert (over.grace_days_left, over.in_grace, over.on_pace, over.behind_by) == (
        0,
        False,
        False,
        1,
    )
    assert (over.label, over.summary) == ("Behind", "1 phase without a skill test passed: P1.")


def test_a_phase_is_owed_only_once_its_last_week_is_over():
    in_last_week = path_position(START, START + timedelta(days=20), PHASES)
    after_it = path_position(START, START + timedelta(days=21), PHASES)
    assert keeps_pace(in_last_week, PHASES, []).finished == ()
    assert keeps_pace(in_last_week, PHASES, []).summary == "No phase is over yet."
    assert [p.order for p in keeps_pace(after_it, PHASES, []).missing] == [1]
    assert keeps_pace(after_it, PHASES, [1]).summary == "A skill test passed for P1."


def test_the_pace_summary_lists_every_phase_missing():
    phases = [_phase(1, 1, 1, "One"), _phase(2, 2, 2, "Two"), _phase(3, 3, 3, "Three")]
    position = path_position(START, START + timedelta(weeks=3), phases)
    behind = keeps_pace(position, phases, [])
    assert behind.summary == "3 phases without a skill test passed: One, Two and Three."
    on_pace = keeps_pace(position, phases, [1, 2, 3])
    assert on_pace.summary == "A skill test passed for each of the 3 phases that are over."
    assert on_pace.expected == 3
    assert keeps_pace(path_position(START, START - timedelta(days=1), phases), phases, []) is None
    assert keeps_pace(path_position(None, START, phases), phases, []) is None


def test_the_specialising_phases_want_the_depth_trunk_or_any_trunk_without_one():
    depth = SimpleNamespace(number=3)
    assert [t.number for t in phase_trunks(_phase(1, 1, 3))] == [1]
    assert phase_trunks(_phase(5, 13, 16, in_depth_trunk=True), depth_trunk=depth) == (depth,)
    assert phase_trunks(_phase(5, 13, 16, in_depth_trunk=True)) is None
    assert phase_trunks(_phase(9, 1, 1, trunks=())) is None
    assert Pace().on_pace


# Warnings: four trunks, three skills, three weeks, six weeks.


def _progress(skill_pk, trunk_number, status="learning", since=None, passed=None):
    trunk = Trunk(pk=trunk_number, number=trunk_number)
    return Progress(
        skill=Skill(pk=skill_pk, trunk=trunk),
        status=status,
        learning_since=since,
        passed_at=passed,
    )


@pytest.mark.parametrize(("trunks", "sprawl"), [(3, []), (4, [1, 2, 3, 4])])
def test_sprawl_starts_at_the_fourth_trunk(trunks, sprawl):
    progress = [_progress(n, n, since=NOW) for n in range(trunks, 0, -1)]
    progress.append(_progress(99, 9, status="test_passed", passed=NOW))
    assert [t.number for t in trunk_sprawl(progress)] == sprawl


@pytest.mark.parametrize(
    ("learning", "passed", "stuck"), [(2, 0, False), (3, 0, True), (3, 1, False), (4, 0, True)]
)
def test_stuck_is_three_skills_learning_and_no_test_passed(learning, passed, stuck):
    assert is_stuck(learning, passed) is stuck


@pytest.mark.parametrize(("offset", "counted"), [(timedelta(0), True), (SECOND, False)])
def test_a_skill_counts_as_long_learned_from_exactly_three_weeks(offset, counted):
    since = NOW - LOOP_AGE + offset
    progress = [_progress(n, 1, since=since) for n in (1, 2)]
    progress.append(_progress(3, 1, since=NOW - LOOP_AGE - SECOND))
    assert [p.skill.pk for p in tutorial_loop(progress, NOW)] == ([3, 1, 2] if counted else [])


@pytest.mark.parametrize(("offset", "breaks_loop"), [(timedelta(0), True), (-SECOND, False)])
def test_a_test_passed_exactly_three_weeks_ago_still_breaks_the_loop(offset, breaks_loop):
    old = NOW - LOOP_AGE - timedelta(days=1)
    progress = [_progress(n, 1, since=old) for n in (1, 2, 3)]
    progress.append(_progress(4, 1, status="test_passed", passed=NOW - LOOP_AGE + offset))
    progress.append(_progress(5, 1, status="test_passed", passed=None))
    assert (tutorial_loop(progress, NOW) == []) is breaks_loop


@pytest.mark.parametrize(("age", "due"), [(AUDIT_AGE, False), (AUDIT_AGE + SECOND, True)])
def test_an_audit_is_due_again_just_after_six_weeks(age, due):
    audit = Audit(saved_at=NOW - age)
    assert audit_is_due(audit, NOW) is due
    assert is_stale(NOW - age, NOW) is due


def test_no_audit_or_a_draft_is_never_due_but_no_audit_is_stale():
    assert audit_is_due(None, NOW) is False
    assert audit_is_due(Audit(saved_at=None), NOW) is False
    assert is_stale(None, NOW) is True


# The heatmap's cells: the same half-up rounding as a learner's level.


@pytest.mark.parametrize(
    ("total", "rated", "mean", "shade"),
    [(49, 20, "2.5", 3), (9, 4, "2.3", 2), (47, 20, "2.4", 2), (5, 1, "5.0", 5)],
)
def test_a_cells_mean_and_shade_round_half_up(total, rated, mean, shade):
    cell = Cell.of_ratings(total, rated, 20)
    assert (cell.mean, cell.level, cell.rated, cell.total) == (Decimal(mean), shade, rated, 20)
    assert Cell().level is None


# History: a bar moved when the version is older, or a target differs.


def test_a_rating_against_the_current_mastery_text_has_an_unchanged_bar():
    skill = SimpleNamespace(mastery_version=3)
    assert bar_changed(2, skill) is True
    assert bar_changed(3, skill) is False


def test_a_track_bar_change_is_any_target_added_removed_or_moved():
    buckets = [_bucket(1), _bucket(2), _bucket(3), _bucket(4)]
    kept = {"1": "3", "2": "2.5", "3": "4"}
    today = {1: Decimal("3.0"), 2: Decimal("3"), 4: Decimal("2")}
    changes = track_bar_changes(kept, today, buckets)
    assert [(c.bucket.pk, c.then, c.now) for c in changes] == [
        (2, Decimal("2.5"), Decimal("3")),
        (3, Decimal("4"), None),
        (4, None, Decimal("2")),
    ]
    assert track_bar_changes({}, today, buckets) == []


def test_then_and_now_leaves_out_a_skill_rated_against_two_versions():
    a, b, c = (SimpleNamespace(pk=pk) for pk in (1, 2, 3))
    previous = [RatedRow(a, 1, 1, 1), RatedRow(b, 1, 2, 1)]
    latest = [RatedRow(a, 1, 4, 2), RatedRow(b, 1, 3, 1), RatedRow(c, 2, 5, 1)]
    then_now = like_with_like(previous, latest)
    assert then_now.excluded == [a]
    assert then_now.previous_levels == {1: Decimal("2.0")}
    assert then_now.levels == {1: Decimal("3.0"), 2: Decimal("5.0")}


# Progress: the dates follow the status; a review is of one piece of evidence.


def _claimed():
    return Progress(
        status=Progress.Status.TEST_PASSED,
        evidence_url="https://example.org/a",
        learning_since=NOW - timedelta(days=30),
        passed_at=NOW - timedelta(days=2),
        review=Progress.Review.VERIFIED,
        review_comment="Good.",
    )


def test_the_same_evidence_posted_again_keeps_the_review_and_the_date():
    progress = apply_progress(_claimed(), "test_passed", "https://example.org/a", now=NOW)
    assert progress.review == Progress.Review.VERIFIED
    assert progress.passed_at == NOW - timedelta(days=2)
    assert progress.learning_since == NOW - timedelta(days=30)


def test_other_evidence_or_going_back_to_learning_clears_the_review():
    changed = apply_progress(_claimed(), "test_passed", "https://example.org/b", now=NOW)
    assert (changed.review, changed.review_comment) == (Progress.Review.PENDING, "")
    assert changed.passed_at == NOW - timedelta(days=2)
    back = apply_progress(_claimed(), "learning", "https://example.org/a", now=NOW)
    assert (back.review, back.passed_at, back.learning_since) == (
        Progress.Review.PENDING,
        None,
        NOW,
    )


def test_learning_keeps_its_start_date_and_not_started_clears_both():
    learning = Progress(status="learning", learning_since=NOW - timedelta(days=9))
    assert apply_progress(learning, "learning", now=NOW).learning_since == NOW - timedelta(days=9)
    assert apply_progress(Progress(), "learning", now=NOW).note == ""
    undated = Progress(status="learning", learning_since=None)
    assert apply_progress(undated, "learning", now=NOW).learning_since == NOW
    passed_undated = Progress(status="test_passed", passed_at=None)
    assert apply_progress(passed_undated, "test_passed", now=NOW).passed_at == NOW
    cleared = apply_progress(_claimed(), "not_started", now=NOW)
    assert (cleared.learning_since, cleared.passed_at, cleared.evidence_url) == (None, None, "")


@pytest.mark.parametrize(
    ("review", "resubmit", "after"),
    [
        (Progress.Review.NEEDS_WORK, True, Progress.Review.PENDING),
        (Progress.Review.NEEDS_WORK, False, Progress.Review.NEEDS_WORK),
        (Progress.Review.VERIFIED, True, Progress.Review.VERIFIED),
    ],
)
def test_only_a_resubmitted_needs_work_goes_back_to_waiting(review, resubmit, after):
    claim = _claimed()
    claim.review = review
    url = claim.evidence_url
    assert apply_progress(claim, "test_passed", url, now=NOW, resubmit=resubmit).review == after


@pytest.mark.parametrize(("months_ago", "after"), [(13, ""), (11, "verified")])
def test_a_resubmitted_verification_goes_back_to_waiting_only_when_due_for_a_re_check(
    months_ago, after
):
    claim = _claimed()
    claim.skill = Skill(recheck_months=None)
    claim.review = Progress.Review.VERIFIED
    claim.reviewed_at = NOW - timedelta(days=31 * months_ago)
    url = claim.evidence_url
    resubmitted = apply_progress(
        claim, "test_passed", url, now=NOW, resubmit=True, recheck_months=12
    )
    assert resubmitted.review == after


def test_warnings_without_the_seeds_words_still_name_themselves_in_the_seeds_order():
    old = NOW - LOOP_AGE - timedelta(days=1)
    progress = [_progress(n, n, since=old) for n in (1, 2, 3, 4)]
    plain = failure_warnings(progress, [], NOW)
    assert [(w.slug, w.name, w.quote) for w in plain] == [
        ("trunk-sprawl", "trunk sprawl", ""),
        ("tutorial-loop", "tutorial loop", ""),
    ]
    assert [t.number for t in plain[0].items] == [1, 2, 3, 4]
    assert plain[1].finding == (
        "4 skills have been “learning” for more than 3 weeks, and no test was passed in that time."
    )
    modes = [
        SimpleNamespace(slug="tutorial-loop", name="The loop", text="Quote.", order=1),
        SimpleNamespace(slug="trunk-sprawl", name="Sprawl", text="Other.", order=2),
    ]
    named = failure_warnings(progress, modes, NOW)
    assert [(w.name, w.quote) for w in named] == [("The loop", "Quote."), ("Sprawl", "Other.")]
    sprawl_first = SimpleNamespace(slug="trunk-sprawl", name="Sprawl", text="", order=1)
    only_loop = failure_warnings(progress, [sprawl_first], NOW)
    assert [w.slug for w in only_loop] == ["tutorial-loop", "trunk-sprawl"]


# Hype substitution's warning: its trunks in tree order, its name as the curriculum has it.


def _hype_finding():
    deep = Trunk(pk=3, number=3, name="Deep learning")
    practical = Trunk(pk=4, number=4, name="Practical AI engineering")
    foundations = Trunk(pk=1, number=1, name="Foundations")
    worked = [
        Skill(pk=40, trunk=practical, name="Agents"),
        Skill(pk=30, trunk=deep, name="Transformers"),
        Skill(pk=41, trunk=practical, name="Evals"),
        Skill(pk=31, trunk=deep, name="Training"),
    ]
    return HypeFinding(worked=worked, neglected=[Skill(pk=1, trunk=foundations, name="Algebra")])


def test_the_hype_warning_names_its_trunks_in_tree_order_and_its_weeks():
    (warning,) = failure_warnings([], [], NOW, hype=_hype_finding())
    assert warning.finding == (
        "In the last 4 weeks the effort went into 4 skills of Deep learning and Practical AI "
        "engineering, while 1 foundations the target track needs sit at 1–2, untouched."
    )


def test_the_hype_warning_takes_the_curriculums_name_for_it_or_its_own():
    renamed = FailureMode(order=3, slug="hype-substitution", name="chasing the news")
    (curated,) = failure_warnings([], [renamed], NOW, hype=_hype_finding())
    (plain,) = failure_warnings([], [], NOW, hype=_hype_finding())
    assert (curated.name, curated.failure_mode) == ("chasing the news", renamed)
    assert (plain.name, plain.failure_mode) == ("hype substitution", None)


def test_a_path_whose_last_phase_ends_in_week_24_says_so_during_and_after_it():
    phases = [_phase(1, 1, 3), _phase(2, 4, 24)]
    assert path_position(START, START + timedelta(weeks=22), phases).summary == "Week 23 of 24."
    assert (
        path_position(START, START + timedelta(weeks=24), phases).describe("Ada")
        == "Ada has finished the 24 weeks of the path."
    )


def test_a_test_serves_the_phase_with_the_most_tests_of_its_trunk_left_over():
    """Phase 1 takes a trunk-1 or trunk-2 test, phase 2 only a trunk-2 one: with two tests in
    trunk 1 and one in trunk 2, phase 1 takes a trunk-1 test and both are covered."""
    phases = [_phase(1, 1, 2, trunks=(1, 2)), _phase(2, 3, 4, trunks=(2,))]
    position = path_position(START, START + timedelta(weeks=5), phases)
    pace = keeps_pace(position, phases, [2, 1, 1])
    assert pace.on_pace
    assert pace.summary == "A skill test passed for each of the 2 phases that are over."
