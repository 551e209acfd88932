"""A learner's own data through their token: profile and target track, audits and ratings, the gap
and fit, progress and evidence. Every read and write goes through the functions the pages call."""

from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Query, Router

import pages
from accounts.targets import aim_for
from api import auth, cursor
from api.problems import Problem, ProblemOut, form_errors
from api.schemas import (
    AuditDetailOut,
    AuditPage,
    PageQuery,
    ProfileOut,
    ProgressIn,
    ProgressOut,
    ProgressPage,
    RatingIn,
    RowId,
    StandingOut,
    TargetTrackIn,
)
from assessments import audits
from assessments.forms import ProgressForm
from assessments.ladder import ladder_standing
from assessments.models import Audit, Progress, Rating
from assessments.progress import record_progress
from assessments.standing import standing_for
from curriculum.cache import ladder_levels, trunks_with_skills
from curriculum.models import Skill, Track

router = Router(tags=["A learner's own"], auth=auth.READ)


def number(value):
    return None if value is None else float(value)


def profile_out(user):
    ladder = ladder_standing(user, ladder_levels())
    return {
        "username": user.username,
        "display_name": user.display_name,
        "target_track": user.target_track.slug if user.target_track else None,
        "path_started_on": user.path_started_on,
        "ladder_level": ladder.number,
        "ladder_label": ladder.label,
    }


def audit_out(audit, rated_count):
    return {
        "id": audit.pk,
        "kind": audit.kind,
        "started_at": audit.started_at,
        "saved_at": audit.saved_at,
        "track": audit.track.slug if audit.track else None,
        "rated_count": rated_count,
    }


def audit_detail_out(audit):
    ratings = list(
        Rating.objects.filter(audit=audit)
        .order_by("skill__trunk__number", "skill__order", "skill_id")
        .values_list("skill__slug", "skill_id", "value")
    )
    return {
        **audit_out(audit, len(ratings)),
        "ratings": [{"skill": slug, "skill_id": pk, "value": value} for slug, pk, value in ratings],
    }


def progress_out(progress, slug):
    return {
        "skill": slug,
        "status": progress.status,
        "shown_status": progress.shown_status.value,
        "evidence_url": progress.evidence_url,
        "note": progress.note,
        "learning_since": progress.learning_since,
        "passed_at": progress.passed_at,
        "review": progress.review,
        "review_comment": progress.review_comment,
        "reviewed_at": progress.reviewed_at,
    }


def current_skill(slug):
    """A current skill by slug, from the kept tree (what a draft may rate), or 404."""
    for trunk in trunks_with_skills():
        for skill in trunk.skills.all():
            if skill.slug == slug:
                return skill
    raise Http404("No current skill by that name.")


@router.get("/me", response=ProfileOut, summary="Your profile, target track and ladder level")
def get_me(request):
    return profile_out(request.auth.owner)


@router.put(
    "/me/target-track", response=ProfileOut, auth=auth.WRITE, summary="Choose your target track"
)
def put_target_track(request, choice: TargetTrackIn):
    track = Track.objects.current().filter(slug=choice.track).first()
    if track is None:
        raise Problem(
            422,
            f"There is no current track “{choice.track[:100]}”: GET /api/v1/curriculum/tracks "
            "lists them.",
            errors=[{"field": "track", "message": "Not a current track."}],
        )
    aim_for(request.auth.owner, track)
    return profile_out(request.auth.owner)


@router.get("/me/audits", response=AuditPage, summary="Your audits, newest first")
def list_audits(request, page: Query[PageQuery]):
    rows = (
        Audit.objects.of(request.auth.owner)
        .select_related("track")
        .annotate(rated_count=Count("ratings"))
    )
    result = cursor.page_of_rows(rows, page.cursor, page.limit, newest_first=True)
    result["items"] = [audit_out(audit, audit.rated_count) for audit in result["items"]]
    return result


@router.get("/me/audits/{audit_id}", response=AuditDetailOut, summary="One audit and its ratings")
def get_audit(request, audit_id: RowId):
    return audit_detail_out(audits.own_audit(request.auth.owner, audit_id))


@router.get(
    "/me/draft",
    response={200: AuditDetailOut, 404: ProblemOut},
    summary="Your draft full audit (404 until you rate a skill)",
)
def get_draft(request):
    draft = audits.find_draft(request.auth.owner)
    if draft is None:
        raise Problem(404, "You have no draft audit: rate a skill (PUT) to start one.")
    return audit_detail_out(draft)


@router.put(
    "/me/draft/ratings/{skill}",
    response=AuditDetailOut,
    auth=auth.WRITE,
    summary="Rate a skill in your draft (null clears it)",
    description="The draft is made on first use from your last saved full audit, as on the "
    "audit page. Sending the same rating twice leaves one rating.",
)
def put_rating(request, skill: str, rating: RatingIn):
    rated = current_skill(skill)
    draft = audits.draft_full_audit(request.auth.owner)
    try:
        audits.rate(request.auth.owner, draft.pk, {rated.pk: rating.value})
    except audits.AuditLocked as locked:
        raise Problem(409, f"{locked} Rate in your new draft.") from None
    except audits.BadRating as bad:
        raise Problem(422, str(bad)) from None
    return audit_detail_out(draft)


@router.post(
    "/me/audits/{audit_id}/save",
    response=AuditDetailOut,
    auth=auth.WRITE,
    summary="Save your draft as a dated snapshot",
    description="Saving an audit already saved answers it as it is (a double send saves once).",
)
def save_audit(request, audit_id: RowId):
    audit = audits.own_audit(request.auth.owner, audit_id)
    if audit.kind != Audit.Kind.FULL:
        raise Problem(
            409, "A quick audit is saved when it is taken; only a full audit is saved here."
        )
    try:
        audits.save_audit(audit)
    except audits.NothingRated as empty:
        raise Problem(422, str(empty)) from None
    return audit_detail_out(audit)


@router.get(
    "/me/standing",
    response=StandingOut,
    summary="Your gap to your target track, your fit to every track, your ladder level",
    description="What your dashboard shows: levels from your latest saved audit (its id is "
    "audit; a draft's ratings count once it is saved), tests and verdicts from your progress. "
    "It follows each audit you save and each change to your progress at once; audit_due is "
    "checked again at least hourly.",
)
def get_standing(request):
    # Kept like the dashboard's fragments, until the learner's rows or the curriculum change
    # (and at most an hour: what is due depends on the day).
    user = request.auth.owner
    return pages.kept_beside(
        pages.for_learner(user.pk), f"api-standing:{user.pk}", lambda: standing_out(user)
    )


def standing_out(user):
    standing = standing_for(user)
    return {
        "target_track": standing.track.slug if standing.track else None,
        "audit": standing.audit.pk if standing.audit else None,
        "gaps": [
            {
                "bucket": gap.bucket.slug,
                "level": number(gap.level),
                "target": number(gap.target),
                "gap": number(gap.gap),
                "rated": gap.rated,
                "met": gap.is_met,
            }
            for gap in standing.gaps
        ],
        "fits": [
            {
                "track": fit.track.slug,
                "rank": fit.rank,
                "total_gap": float(fit.total_gap),
                "ratings_needed": fit.ratings_needed,
                "met": fit.is_met,
            }
            for fit in standing.fits
        ],
        "ladder_level": standing.ladder.number,
        "ladder_label": standing.ladder.label,
        "tests_passed": standing.tests_passed,
        "verified": standing.verified,
        "learning": standing.learning,
        "audit_due": standing.audit_due,
    }


@router.get("/me/progress", response=ProgressPage, summary="Your progress and evidence")
def list_progress(request, page: Query[PageQuery]):
    rows = Progress.objects.filter(user=request.auth.owner).select_related("skill")
    result = cursor.page_of_rows(rows, page.cursor, page.limit)
    result["items"] = [progress_out(row, row.skill.slug) for row in result["items"]]
    return result


@router.get("/me/progress/{skill}", response=ProgressOut, summary="Your progress on one skill")
def get_progress(request, skill: str):
    found = get_object_or_404(Skill, slug=skill)
    row = Progress.objects.filter(user=request.auth.owner, skill=found).first()
    return progress_out(row or Progress(user=request.auth.owner, skill=found), found.slug)


@router.put(
    "/me/progress/{skill}",
    response=ProgressOut,
    auth=auth.WRITE,
    summary="Set your progress and evidence on a skill",
    description="The rules of the skill's progress page: “test_passed” needs an http(s) "
    "evidence link; a changed link waits for a lead's review again.",
)
def put_progress(request, skill: str, progress: ProgressIn):
    found = get_object_or_404(Skill.objects.select_related("trunk"), slug=skill)
    form = ProgressForm(progress.dict())
    if not form.is_valid():
        errors = form_errors(form)
        raise Problem(422, " ".join(error["message"] for error in errors), errors=errors)
    row = record_progress(request.auth.owner, found, **form.cleaned_data)
    return progress_out(row, found.slug)
