"""A lead's cohorts through their token: the members with their trunk means and status, the
evidence waiting, and the verdict, under the rules of the lead's pages: only a cohort the token's
owner leads (and may still lead) exists for them (`Cohort.objects.led_by`), anyone else's is 404."""

from django.db.models import Count
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import slugify
from ninja import Query, Router

import pages
from api import auth, cursor
from api.problems import Problem, form_errors
from api.schemas import (
    ClaimOut,
    ClaimPage,
    CohortOut,
    CohortPage,
    HeatmapPageQuery,
    MemberPage,
    PageQuery,
    RowId,
    VerdictIn,
)
from assessments.models import Progress
from cohorts import export, heatmap, review
from cohorts.forms import ReviewForm
from cohorts.members import member_pks
from cohorts.models import Cohort

router = Router(tags=["A lead's cohorts"], auth=auth.READ)


def led_cohort(user, pk):
    """The cohort if `user` leads it and may still lead; 404 for everyone else, staff included."""
    return get_object_or_404(Cohort.objects.led_by(user), pk=pk)


def cohort_out(cohort):
    return {
        "id": cohort.pk,
        "name": cohort.name,
        "description": cohort.description,
        "starts_on": cohort.starts_on,
        "ends_on": cohort.ends_on,
        "member_count": cohort.member_count,
    }


def claim_out(claim):
    return {
        "id": claim.pk,
        "learner": claim.user.username,
        "learner_name": claim.user.shown_name,
        "skill": claim.skill.slug,
        "evidence_url": claim.evidence_url,
        "note": claim.note,
        "passed_at": claim.passed_at,
        "self_rating": claim.self_rating,
        "review": claim.review,
        "review_comment": claim.review_comment,
        "reviewed_at": claim.reviewed_at,
    }


@router.get("/lead/cohorts", response=CohortPage, summary="The cohorts you lead")
def list_cohorts(request, page: Query[PageQuery]):
    rows = Cohort.objects.led_by(request.auth.owner).annotate(
        member_count=Count("memberships", distinct=True)
    )
    result = cursor.page_of_rows(rows, page.cursor, page.limit)
    result["items"] = [cohort_out(cohort) for cohort in result["items"]]
    return result


@router.get("/lead/cohorts/{cohort_id}", response=CohortOut, summary="One cohort you lead")
def get_cohort(request, cohort_id: RowId):
    cohort = led_cohort(request.auth.owner, cohort_id)
    cohort.member_count = cohort.memberships.count()
    return cohort_out(cohort)


@router.get(
    "/lead/cohorts/{cohort_id}/members",
    response=MemberPage,
    summary="The cohort's members: trunk means and status, as the heatmap shows them",
    description="Each trunk's mean is of the member's latest saved full audit; stale, stuck and "
    f"hype are the heatmap's flags. A page is the heatmap's: {heatmap.PER_PAGE['trunks']} "
    "members by name (it takes no limit), and its next_cursor names the next page, not a "
    "member, so a member who joins or leaves meanwhile may move another across a page's edge.",
)
def list_members(request, cohort_id: RowId, page: Query[HeatmapPageQuery]):
    cohort = led_cohort(request.auth.owner, cohort_id)
    number = cursor.decode(page.cursor) if page.cursor else 1
    if number < 1:
        raise Problem(400, "That cursor is not one this API gave: start again without a cursor.")
    return pages.kept_beside(
        pages.for_people(member_pks(cohort), [cohort.pk]),
        f"api-members:{cohort.pk}:{number}",
        lambda: members_out(cohort, number),
    )


def members_out(cohort, number):
    """A page of the heatmap's rows (kept like the cohort page until a member's or the cohort's
    rows change)."""
    grid = heatmap.cohort_grid(cohort, page_number=number)
    if grid.page.number != number:
        raise Problem(400, "That cursor is past the last page: start again without a cursor.")
    items = [
        {
            "id": row.learner.pk,
            "username": row.learner.username,
            "name": row.learner.shown_name,
            "target_track": row.learner.track_name,
            "last_audit_at": row.last_audit_at,
            "stale": row.stale,
            "stuck": row.stuck,
            "hype": row.hype,
            "learning": row.learning,
            "passed": row.passed,
            "waiting": row.waiting,
            "trunks": [
                {
                    "trunk": column.slug,
                    "mean": None if cell.mean is None else float(cell.mean),
                    "rated": cell.rated,
                    "skills": cell.total,
                }
                for column, cell in zip(grid.columns, row.cells, strict=True)
            ],
        }
        for row in grid.rows
    ]
    more = grid.page.has_next()
    return {"items": items, "next_cursor": cursor.encode(number + 1) if more else None}


@router.get(
    "/lead/cohorts/{cohort_id}/progress.csv",
    summary="The cohort's progress as the CSV the cohort page downloads",
    openapi_extra={
        "responses": {
            200: {
                "description": "One row per learner per skill.",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        }
    },
)
def cohort_csv(request, cohort_id: RowId):
    cohort = led_cohort(request.auth.owner, cohort_id)
    filename = f"{slugify(cohort.name) or 'cohort'}-{timezone.localdate().isoformat()}.csv"
    response = StreamingHttpResponse(
        export.export_csv_chunks(cohort), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@router.get(
    "/lead/evidence",
    response=ClaimPage,
    summary="Evidence waiting for your review, oldest first",
    description="Tests marked passed with an evidence link, in any cohort you lead, not yet "
    "reviewed (never your own), in the order of your review page: by when the test was marked "
    "passed.",
)
def list_evidence(request, page: Query[PageQuery]):
    rows = review.evidence_claims(request.auth.owner).awaiting_review()
    if page.cursor:
        try:
            rows = rows.after_in_review_order(cursor.decode(page.cursor))
        except Progress.DoesNotExist:
            raise Problem(400, "That cursor names a row no longer here: start again.") from None
    result = cursor.page_of_ordered(rows.in_review_order(), page.limit)
    result["items"] = [claim_out(claim) for claim in result["items"]]
    return result


@router.put(
    "/lead/evidence/{claim_id}/review",
    response=ClaimOut,
    auth=auth.WRITE,
    summary="Give your verdict: verified, or needs work with a comment",
    description="The same verdict sent again records nothing more (and mails the learner once).",
)
def put_verdict(request, claim_id: RowId, verdict: VerdictIn):
    claim = get_object_or_404(review.evidence_claims(request.auth.owner), pk=claim_id)
    form = ReviewForm(verdict.dict())
    if not form.is_valid():
        errors = form_errors(form)
        raise Problem(422, " ".join(error["message"] for error in errors), errors=errors)
    try:
        review.record_review(
            claim,
            lead=request.auth.owner,
            outcome=form.cleaned_data["review"],
            comment=form.cleaned_data["comment"],
            seen_evidence=verdict.evidence_url,
        )
    except review.ClaimChanged:
        raise Problem(
            409,
            "The learner changed this claim since you read it; nothing was recorded. Read it "
            "again, look at its evidence, then send your verdict.",
        ) from None
    return claim_out(claim)
