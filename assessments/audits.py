"""Audits: the quick baseline, the full audit's draft and ratings, and freezing a snapshot.

A full audit is a draft (``saved_at`` empty) until the learner saves it; from then on it is a
dated snapshot nobody edits. Each learner has at most one draft per kind (a database constraint),
and at most one rating per skill in an audit (another), so double clicks and two open tabs
converge on the same rows instead of duplicating them.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.formats import date_format

from assessments.gaps import mean_level
from assessments.models import RATING_CHOICES, Audit, BaselineAnswer, Rating
from curriculum.cache import rateable_skills, skill_count
from curriculum.models import BaselineQuestion, TrackRequirement
from pages import bump_learner

RATING_VALUES = frozenset(value for value, _label in RATING_CHOICES)
# (value, words) for showing the scale: (3, "can do it with help")
RATING_SCALE = [(value, label.split("—", 1)[-1].strip()) for value, label in RATING_CHOICES]
RATING_FIELD_PREFIX = "rating-"
# ASCII digits only: str.isdigit() also takes "²" and "٣", which int() refuses or misreads.
SKILL_ID = re.compile(r"[0-9]{1,18}")
RATING_BY_TEXT = {str(value): value for value in RATING_VALUES}
# The same quick-audit answers again within this time are a double click, not a new snapshot.
DOUBLE_SUBMIT_WINDOW = timedelta(seconds=60)


def saved_on(audit):
    """The day `audit` was saved, written the site's one way ("5 December 2026")."""
    return date_format(timezone.localtime(audit.saved_at))


class AuditLocked(Exception):
    """The audit is a saved snapshot: its ratings can no longer change."""

    def __init__(self, audit):
        self.audit = audit
        super().__init__(f"This audit was saved on {saved_on(audit)} and can’t be changed.")


class BadRating(ValueError):
    """What the learner sent is not a rating we can store; the message says why in plain words."""


class NothingRated(ValueError):
    """A draft with no rating: there is nothing to save yet."""

    def __init__(self):
        super().__init__("Rate at least one skill before you save the audit.")


def parse_ratings(data):
    """Read ``rating-<skill id>`` fields into ``{skill_id: value or None}`` (None = unrated).

    Raises BadRating for a value outside 1–5 or a skill id that is not a number; whether the
    skills exist is checked against the curriculum by ``rate``.
    """
    ratings = {}
    for name in data:
        if not name.startswith(RATING_FIELD_PREFIX):
            continue
        raw_skill = name.removeprefix(RATING_FIELD_PREFIX)
        if not SKILL_ID.fullmatch(raw_skill):
            raise BadRating(f"“{raw_skill[:20]}” is not a skill in the tree.")
        raw_value = data.get(name, "").strip()
        if raw_value == "":
            ratings[int(raw_skill)] = None
            continue
        if raw_value not in RATING_BY_TEXT:
            raise BadRating(f"A rating is a whole number from 1 to 5, not “{raw_value[:20]}”.")
        ratings[int(raw_skill)] = RATING_BY_TEXT[raw_value]
    return ratings


def find_draft(user, kind=Audit.Kind.FULL):
    return Audit.objects.drafts().filter(user=user, kind=kind).first()


def draft_full_audit(user):
    """The learner's draft full audit, created on first use from their last saved one's ratings."""
    draft = find_draft(user)
    if draft is not None:
        return draft
    try:
        with transaction.atomic():
            draft = Audit.objects.create(user=user, kind=Audit.Kind.FULL)
            last = last_saved_audit(user, Audit.Kind.FULL)
            if last is not None:
                carried = last.ratings.filter(skill__retired=False).values_list(
                    "skill_id", "value", "mastery_version"
                )
                Rating.objects.bulk_create(
                    Rating(audit=draft, skill_id=skill_id, value=value, mastery_version=version)
                    for skill_id, value, version in carried
                )
            bump_learner(user.pk)
    except IntegrityError:
        # Another request (a second tab, a double click) created the draft first: use that one.
        draft = Audit.objects.drafts().get(user=user, kind=Audit.Kind.FULL)
    return draft


def last_saved_audit(user, kind):
    return Audit.objects.latest_first().filter(user=user, kind=kind).first()


def own_audit(user, pk):
    """`user`'s audit number `pk`, or Http404: other people's audits do not exist for them."""
    return get_object_or_404(Audit.objects.of(user), pk=pk)


@dataclass(frozen=True)
class Rated:
    """What a rating write leaves: the skills it was sent for and the draft's rated skills now
    (`curriculum.cache.RateableSkill` each), and how many skills the tree has."""

    sent: dict
    rated: tuple
    skill_count: int

    @property
    def rated_count(self):
        return len(self.rated)

    def rated_in_trunk(self, skill):
        return sum(1 for each in self.rated if each.trunk_id == skill.trunk_id)


def rate(user, pk, ratings):
    """Store `{skill_id: value or None}` (None clears a rating) in `user`'s draft audit `pk`,
    all or nothing: one htmx click or the whole form without JavaScript. The one write path
    for ratings.

    BadRating for a skill that does not exist or is retired, before anything is read; Http404
    when the audit is not `user`'s (`Audit.objects.of`); AuditLocked when it is saved. The
    audit's row is locked (FOR UPDATE) while its rated skills are read with it, so saving waits
    for the rating, or the rating sees the save and is refused: a snapshot never changes.
    Two queries for one rating (the audit's row with its rated skills, then the upsert or the
    delete), three when the form both clears and rates, inside one transaction.
    """
    known = _rateable(ratings)
    with transaction.atomic():
        rows = list(
            Audit.objects.of(user)
            .filter(pk=pk)
            .select_for_update(of=("self",))
            .values_list("saved_at", "ratings__skill_id")
        )
        if not rows:
            raise Http404("No such audit of yours.")
        saved_at = rows[0][0]
        if saved_at is not None:
            raise AuditLocked(Audit(pk=pk, user=user, saved_at=saved_at))
        cleared = {skill_id for skill_id, value in ratings.items() if value is None}
        if cleared:
            Rating.objects.filter(audit_id=pk, skill_id__in=cleared).delete()
        written = [
            Rating(
                audit_id=pk,
                skill_id=skill_id,
                value=value,
                mastery_version=known[skill_id].mastery_version,
            )
            for skill_id, value in ratings.items()
            if value is not None
        ]
        if written:
            Rating.objects.bulk_create(
                written,
                update_conflicts=True,
                unique_fields=["audit", "skill"],
                update_fields=["value", "mastery_version", "updated_at"],
            )
    bump_learner(user.pk)
    rated = ({skill_id for _saved_at, skill_id in rows} - {None} - cleared) | {
        rating.skill_id for rating in written
    }
    return Rated(
        sent={skill_id: known[skill_id] for skill_id in ratings},
        rated=tuple(known[skill_id] for skill_id in sorted(rated) if skill_id in known),
        skill_count=skill_count(),
    )


def _rateable(ratings):
    known = rateable_skills()
    if unknown := sorted(set(ratings) - known.keys()):
        raise BadRating(f"There is no skill number {unknown[0]} in the tree.")
    return known


def requirement_snapshot(track_id):
    """{bucket id (text): target (text)} of `track`'s requirements: the bar an audit is saved
    against, kept on the audit (`history.track_bar_changes` compares it with today's)."""
    if track_id is None:
        return {}
    return {
        str(bucket_id): str(target)
        for bucket_id, target in TrackRequirement.objects.filter(track_id=track_id).values_list(
            "bucket_id", "level__target"
        )
    }


def save_audit(audit):
    """Freeze a draft into a dated snapshot with the learner's target track and its
    requirements as they are now. Returns False if it was already saved; raises NothingRated
    for a draft with no rating."""
    if not audit.is_saved and not audit.ratings.exists():
        raise NothingRated()
    now = timezone.now()
    track_id = audit.user.target_track_id
    fields = {"saved_at": now, "track_id": track_id, "requirements": requirement_snapshot(track_id)}
    frozen = Audit.objects.filter(pk=audit.pk, saved_at__isnull=True).update(**fields)
    if frozen:
        for name, value in fields.items():
            setattr(audit, name, value)
        bump_learner(audit.user_id)
    return bool(frozen)


def record_quick_audit(user, answers):
    """Save a quick audit from ``{question: value}`` as a finished snapshot, in one go.

    Returns ``(audit, created)``. The same answers as the learner's last quick audit, saved
    less than DOUBLE_SUBMIT_WINDOW ago, are that audit sent twice: no new snapshot, the first is
    returned. The learner's row is locked first, so two submits at once queue and the second
    sees the first. Six queries at most (three for a repeat; five without a target track).
    """
    now = timezone.now()
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).values("pk").get()
        recent = (
            Audit.objects.filter(
                user=user, kind=Audit.Kind.QUICK, saved_at__gte=now - DOUBLE_SUBMIT_WINDOW
            )
            .order_by("-saved_at")
            .first()
        )
        values = {question.pk: value for question, value in answers.items()}
        if (
            recent is not None
            and dict(recent.answers.values_list("question_id", "value")) == values
        ):
            return recent, False
        audit = Audit.objects.create(
            user=user,
            kind=Audit.Kind.QUICK,
            saved_at=now,
            track_id=user.target_track_id,
            requirements=requirement_snapshot(user.target_track_id),
        )
        BaselineAnswer.objects.bulk_create(
            BaselineAnswer(audit=audit, question=question, value=value)
            for question, value in answers.items()
        )
        bump_learner(user.pk)
    return audit, True


@dataclass
class BucketPicture:
    """One bucket in the quick audit's first picture: its answers and their average."""

    bucket: object
    answers: list = field(default_factory=list)

    @property
    def level(self):
        return mean_level(answer.value for answer in self.answers)


def bucket_picture(answers):
    """Group baseline answers by their question's bucket, in bucket order.

    ``answers`` need ``question__bucket`` loaded (select_related) to keep the query count fixed.
    """
    by_bucket = defaultdict(list)
    buckets = {}
    for answer in sorted(answers, key=lambda a: (a.question.order, a.question.pk)):
        bucket = answer.question.bucket
        buckets[bucket.pk] = bucket
        by_bucket[bucket.pk].append(answer)
    ordered = sorted(buckets.values(), key=lambda b: (b.order, b.pk))
    return [BucketPicture(bucket=b, answers=by_bucket[b.pk]) for b in ordered]


def baseline_questions():
    return BaselineQuestion.objects.current().select_related("bucket")


# A visitor's quick audit: kept in their session until they sign up or log in

VISITOR_ANSWERS = "visitor_quick_audit"


def keep_visitor_answers(session, answers):
    """Keep a visitor's ``{question: value}`` in their session; nothing goes to the database."""
    session[VISITOR_ANSWERS] = {str(question.pk): value for question, value in answers.items()}


def visitor_answers(session, questions):
    """The visitor's kept answers as unsaved BaselineAnswers for ``questions`` (in their order).

    Answers to questions no longer asked, and values outside 1–5, are dropped; no query.
    """
    kept = session.get(VISITOR_ANSWERS) or {}
    answers = []
    for question in questions:
        value = kept.get(str(question.pk))
        if value in RATING_VALUES:
            answers.append(BaselineAnswer(question=question, value=value))
    return answers


def adopt_visitor_answers(session, user):
    """Save the session's visitor quick audit as ``user``'s, and forget it; the new Audit or None.

    Called when a visitor signs up or logs in. Only a complete set of answers (one per baseline
    question) is saved; `record_quick_audit` turns a second adoption of the same answers (two
    log-ins at once) into the first audit, so there is one row. No query when nothing is kept.
    """
    if VISITOR_ANSWERS not in session:
        return None
    kept = session.pop(VISITOR_ANSWERS)
    questions = list(baseline_questions())
    answers = visitor_answers({VISITOR_ANSWERS: kept}, questions)
    if not questions or len(answers) != len(questions):
        return None
    audit, _created = record_quick_audit(user, {a.question: a.value for a in answers})
    return audit
