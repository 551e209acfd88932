"""What the API answers and accepts, in the product's words (the OpenAPI schema is made from these)."""

from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Path, Schema

from api.cursor import DEFAULT_LIMIT, MAX_LIMIT


class PageQuery(Schema):
    cursor: str | None = Field(
        None, max_length=200, description="The last page's `next_cursor`, for the next page."
    )
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page.")


class HeatmapPageQuery(Schema):
    cursor: str | None = Field(
        None, max_length=200, description="The last page's `next_cursor`, for the next page."
    )


class PageOut(Schema):
    next_cursor: str | None = Field(
        description="Send it back as `cursor` for the next page; null on the last page."
    )


# The curriculum


class TrunkOut(Schema):
    number: int
    slug: str
    name: str
    heading: str
    summary: str
    skills: list[str] = Field(description="Its current skills' slugs, in order.")


class TrunkPage(PageOut):
    items: list[TrunkOut]


class SkillOut(Schema):
    id: int
    slug: str
    name: str
    trunk: str
    bucket: str
    order: int
    mastery: str
    test: str
    free_resource: str
    mastery_version: int
    retired: bool


class SkillPage(PageOut):
    items: list[SkillOut]


class RequirementOut(Schema):
    bucket: str
    level: str
    target: float
    label: str


class TrackOut(Schema):
    id: int
    slug: str
    name: str
    order: int
    description: str
    depth_trunk: str | None
    literacy_trunks: list[str]
    requirements: list[RequirementOut]
    retired: bool


class TrackPage(PageOut):
    items: list[TrackOut]


class SignalOut(Schema):
    id: int
    text: str


class LadderLevelOut(Schema):
    number: int
    slug: str
    name: str
    subtitle: str
    what_it_is: str
    signals: list[SignalOut]


class LadderOut(Schema):
    levels: list[LadderLevelOut]


class PhaseOut(Schema):
    order: int
    weeks: str
    start_week: int
    end_week: int
    name: str
    text: str
    end_state: str
    trunks: list[str]
    in_depth_trunk: bool


class PathOut(Schema):
    phases: list[PhaseOut]


# The learner's own


class ProfileOut(Schema):
    username: str
    display_name: str
    target_track: str | None
    path_started_on: date | None
    ladder_level: int
    ladder_label: str


SLUG = r"^[-a-zA-Z0-9_]+$"
ROW_ID_MAX = 2**63 - 1
"""The largest row number a database keeps: a larger one is refused (422), never looked up."""


RowId = Annotated[int, Path(ge=1, le=ROW_ID_MAX)]


class TargetTrackIn(Schema):
    track: str = Field(
        description="The slug of a current track.", min_length=1, max_length=100, pattern=SLUG
    )


class AuditOut(Schema):
    id: int
    kind: Literal["quick", "full"]
    started_at: datetime
    saved_at: datetime | None
    track: str | None = Field(description="The target track when it was saved.")
    rated_count: int


class AuditPage(PageOut):
    items: list[AuditOut]


class RatingOut(Schema):
    skill: str
    skill_id: int
    value: int


class AuditDetailOut(AuditOut):
    ratings: list[RatingOut]


class RatingIn(Schema):
    value: Annotated[int, Field(strict=True, ge=1, le=5)] | None = Field(
        description="A whole number 1 to 5; null clears the rating."
    )


class GapOut(Schema):
    bucket: str
    level: float | None
    target: float | None
    gap: float | None
    rated: int
    met: bool


class FitOut(Schema):
    track: str
    rank: int | None = Field(description="1 is the closest fit; null until rated enough.")
    total_gap: float
    ratings_needed: int
    met: bool


class StandingOut(Schema):
    target_track: str | None
    audit: int | None = Field(description="The saved audit the levels come from.")
    gaps: list[GapOut]
    fits: list[FitOut]
    ladder_level: int
    ladder_label: str
    tests_passed: int
    verified: int
    learning: int
    audit_due: bool


class ProgressOut(Schema):
    skill: str
    status: Literal["not_started", "learning", "test_passed"]
    shown_status: str = Field(description="What the pages show: with a lead's verdict.")
    evidence_url: str
    note: str
    learning_since: datetime | None
    passed_at: datetime | None
    review: Literal["", "verified", "needs_work"]
    review_comment: str
    reviewed_at: datetime | None


class ProgressPage(PageOut):
    items: list[ProgressOut]


class ProgressIn(Schema):
    status: Literal["not_started", "learning", "test_passed"]
    evidence_url: str = Field("", max_length=500)
    note: str = Field("", max_length=500)
    resubmit: bool = False


# A lead's


class CohortOut(Schema):
    id: int
    name: str
    description: str
    starts_on: date | None
    ends_on: date | None
    member_count: int


class CohortPage(PageOut):
    items: list[CohortOut]


class TrunkMeanOut(Schema):
    trunk: str
    mean: float | None
    rated: int
    skills: int


class MemberOut(Schema):
    id: int
    username: str
    name: str
    target_track: str | None
    last_audit_at: datetime | None
    stale: bool
    stuck: bool
    hype: bool
    learning: int
    passed: int
    waiting: int
    trunks: list[TrunkMeanOut]


class MemberPage(PageOut):
    items: list[MemberOut]


class ClaimOut(Schema):
    id: int
    learner: str = Field(description="The learner's username.")
    learner_name: str
    skill: str
    evidence_url: str
    note: str
    passed_at: datetime | None
    self_rating: int | None
    review: Literal["", "verified", "needs_work"]
    review_comment: str
    reviewed_at: datetime | None


class ClaimPage(PageOut):
    items: list[ClaimOut]


class VerdictIn(Schema):
    review: Literal["verified", "needs_work"]
    comment: str = Field("", max_length=2000)
    evidence_url: str | None = Field(
        None,
        max_length=500,
        description="The evidence link you looked at. If the learner has changed it since (or "
        "taken back the claim), nothing is recorded and the answer is 409.",
    )
