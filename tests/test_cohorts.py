"""Cohorts: who may open which cohort page, the invite link, joining, leaving, evidence review."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Progress
from cohorts import review
from cohorts.models import Cohort, Membership
from cohorts.review import LATEST_REVIEWS, WAITING_PER_PAGE
from curriculum.models import Skill
from tests.factories import (
    claim_test,
    make_cohort,
    make_lead,
    make_user,
    save_full_audit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(staff_user):
    """A lead with a cohort holding one member with a test claim, and everyone else around it."""
    lead = make_lead("lead", display_name="Lena Lead")
    other_lead = make_lead("otherlead")
    member = make_user("member", display_name="Mia Member")
    non_member = make_user("outsider")
    cohort = make_cohort(lead, members=[member])
    other_cohort = make_cohort(other_lead, name="Other cohort", members=[non_member])
    skills = list(Skill.objects.all()[:3])
    save_full_audit(member, {skills[0]: 4, skills[1]: 2})
    claim = claim_test(member, skills[0])
    return {
        "anonymous": None,
        "member": member,
        "non_member": non_member,
        "lead": lead,
        "other_lead": other_lead,
        "staff": staff_user,
        "cohort": cohort,
        "other_cohort": other_cohort,
        "claim": claim,
    }


def snapshot():
    """Everything a cohort action could change."""
    return {
        "cohorts": sorted(
            Cohort.objects.values_list("pk", "name", "description", "invite_token", "starts_on")
        ),
        "leads": sorted(Cohort.leads.through.objects.values_list("cohort_id", "user_id")),
        "memberships": sorted(Membership.objects.values_list("cohort_id", "user_id")),
        "reviews": sorted(
            Progress.objects.values_list("pk", "review", "review_comment", "reviewed_by_id")
        ),
    }


ROLES = ["anonymous", "member", "non_member", "lead", "other_lead", "staff"]

# (name, method, url builder, POST data, {role: expected status})
LOGIN = "login"
ONLY_THE_LEAD = {
    "anonymous": LOGIN,
    "member": 404,
    "non_member": 404,
    "lead": 200,
    "other_lead": 404,
    "staff": 404,
}


def _posted(ok_status):
    return {**ONLY_THE_LEAD, "lead": ok_status}


# Self-serve: any signed-in user may open the list and start a cohort (unless restricted, below).
ANY_SIGNED_IN = dict.fromkeys(ROLES, 200) | {"anonymous": LOGIN}
START_ACTIONS = [
    ("cohort list", "get", lambda w: reverse("cohorts:cohorts"), None, ANY_SIGNED_IN),
    ("create form", "get", lambda w: reverse("cohorts:cohort_create"), None, ANY_SIGNED_IN),
    ("create", "post", lambda w: reverse("cohorts:cohort_create"),
     {"name": "New one", "form_token": "9b2f5d8e-1f3a-4c1e-9a57-3d1b8f0c2e11"},
     dict.fromkeys(ROLES, 302) | {"anonymous": LOGIN}),
]  # fmt: skip
# With DJANGO_COHORT_LEADS_GROUP_ONLY=1 only the group (and superusers) may start one.
RESTRICTED_START = {
    "cohort list": {**ONLY_THE_LEAD, "other_lead": 200, "staff": 200},
    "create form": {**ONLY_THE_LEAD, "other_lead": 200, "staff": 200},
    "create": {**ONLY_THE_LEAD, "lead": 302, "other_lead": 302, "staff": 302},
}

ACTIONS = [
    *START_ACTIONS,
    ("heatmap", "get", lambda w: reverse("cohorts:cohort", args=[w["cohort"].pk]), None,
     ONLY_THE_LEAD),
    ("heatmap by skill", "get",
     lambda w: reverse("cohorts:cohort", args=[w["cohort"].pk]) + "?view=skills", None,
     ONLY_THE_LEAD),
    ("edit form", "get", lambda w: reverse("cohorts:cohort_edit", args=[w["cohort"].pk]),
     None, ONLY_THE_LEAD),
    ("edit", "post", lambda w: reverse("cohorts:cohort_edit", args=[w["cohort"].pk]),
     {"name": "Renamed"}, _posted(302)),
    ("invite off", "post", lambda w: reverse("cohorts:cohort_invite", args=[w["cohort"].pk]),
     {"action": "off"}, _posted(302)),
    ("new invite", "post", lambda w: reverse("cohorts:cohort_invite", args=[w["cohort"].pk]),
     {"action": "regenerate"}, _posted(302)),
    ("learner page", "get",
     lambda w: reverse("cohorts:cohort_learner", args=[w["cohort"].pk, w["member"].pk]),
     None, ONLY_THE_LEAD),
    ("csv export", "get", lambda w: reverse("cohorts:cohort_export", args=[w["cohort"].pk]),
     None, ONLY_THE_LEAD),
    ("review queue", "get", lambda w: reverse("cohorts:cohort_reviews"), None,
     {**ONLY_THE_LEAD, "other_lead": 200}),
    ("review form", "get", lambda w: reverse("cohorts:cohort_review", args=[w["claim"].pk]),
     None, ONLY_THE_LEAD),
    ("review", "post", lambda w: reverse("cohorts:cohort_review", args=[w["claim"].pk]),
     {"review": "verified", "comment": "Solid."}, _posted(302)),
    ("leave", "post", lambda w: reverse("cohorts:cohort_leave", args=[w["cohort"].pk]), {},
     {**ONLY_THE_LEAD, "member": 302, "lead": 404}),
]  # fmt: skip
REFUSED = {404, LOGIN}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "method", "url", "data"),
    [action[:4] for action in START_ACTIONS],
    ids=[action[0] for action in START_ACTIONS],
)
def test_restricted_to_the_group_only_leads_may_start(
    client, world, settings, role, name, method, url, data
):
    settings.COHORTS_RESTRICTED_TO_GROUP = True
    if world[role] is not None:
        client.force_login(world[role])
    cohorts_before = Cohort.objects.count()
    response = getattr(client, method)(url(world), data or {})
    status = RESTRICTED_START[name][role]
    if status == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == status
    assert Cohort.objects.count() == cohorts_before + (1 if status == 302 else 0)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "url", "data", "expected"),
    [action[1:] for action in ACTIONS],
    ids=[action[0] for action in ACTIONS],
)
def test_permission_matrix(client, world, role, method, url, data, expected):
    if world[role] is not None:
        client.force_login(world[role])
    before = snapshot()
    response = getattr(client, method)(url(world), data or {})
    status = expected[role]
    if status == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == status
    refused = status in REFUSED
    if method == "post" and refused:
        assert snapshot() == before
    if method == "post" and not refused:
        assert snapshot() != before


def test_another_leads_queue_does_not_show_this_cohorts_claims(client, world):
    client.force_login(world["other_lead"])
    response = client.get(reverse("cohorts:cohort_reviews"))
    assert "Mia Member" not in response.content.decode()
    client.force_login(world["lead"])
    response = client.get(reverse("cohorts:cohort_reviews"))
    assert "Mia Member" in response.content.decode()


def test_learner_page_of_a_non_member_is_404_even_for_the_lead(client, world):
    client.force_login(world["lead"])
    url = reverse("cohorts:cohort_learner", args=[world["cohort"].pk, world["non_member"].pk])
    assert client.get(url).status_code == 404


def test_a_lead_creates_a_cohort_and_leads_it(client):
    lead = make_lead()
    client.force_login(lead)
    response = client.post(
        reverse("cohorts:cohort_create"),
        {
            **_new_cohort_form(client),
            "description": "Deep learning first",
            "starts_on": "2026-09-01",
        },
    )
    cohort = Cohort.objects.get(name="Autumn")
    assert response["Location"] == cohort.get_absolute_url()
    assert list(cohort.leads.all()) == [lead]
    assert len(cohort.invite_token) >= 32
    page = client.get(cohort.get_absolute_url()).content.decode()
    assert reverse("cohorts:cohort_join", args=[cohort.invite_token]) in page


def test_a_cohort_cannot_end_before_it_starts(client):
    client.force_login(make_lead())
    response = client.post(
        reverse("cohorts:cohort_create"),
        {**_new_cohort_form(client), "starts_on": "2026-09-01", "ends_on": "2026-08-01"},
    )
    assert response.status_code == 200
    assert "cannot end before it starts" in response.content.decode()
    assert not Cohort.objects.exists()


def test_a_learner_without_the_permission_cannot_create_a_cohort_when_restricted(client, settings):
    settings.COHORTS_RESTRICTED_TO_GROUP = True
    client.force_login(make_user("learner"))
    response = client.post(reverse("cohorts:cohort_create"), {"name": "Mine"})
    assert response.status_code == 404
    assert not Cohort.objects.exists()


def test_the_cohort_leads_group_grants_the_permission():
    assert make_lead().has_perm("cohorts.lead_cohorts")
    assert not make_user("learner").has_perm("cohorts.lead_cohorts")


def test_unknown_invite_action_is_refused(client, world):
    client.force_login(world["lead"])
    before = snapshot()
    url = reverse("cohorts:cohort_invite", args=[world["cohort"].pk])
    assert client.post(url, {"action": "explode"}).status_code == 400
    assert snapshot() == before


# Invite flow


def join_url(cohort):
    return reverse("cohorts:cohort_join", args=[cohort.invite_token])


def test_join_page_shows_cohort_leads_and_what_they_see(client, world):
    learner = make_user("newbie")
    client.force_login(learner)
    page = client.get(join_url(world["cohort"])).content.decode()
    assert "Spring cohort" in page
    assert "Lena Lead" in page
    assert "every audit you save" in page
    assert "your progress on each skill" in page
    assert not Membership.objects.filter(user=learner).exists()


def test_anonymous_visitor_is_sent_to_log_in_and_back(client, world):
    url = join_url(world["cohort"])
    page = client.get(url).content.decode()
    assert f"{reverse('account_login')}?next={url}" in page
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"
    assert Membership.objects.count() == 2


def test_joining_with_a_valid_link_makes_a_membership(client, world):
    learner = make_user("newbie")
    client.force_login(learner)
    response = client.post(join_url(world["cohort"]))
    assert response.status_code == 302
    assert Membership.objects.filter(cohort=world["cohort"], user=learner).exists()


def test_joining_twice_is_a_no_op(client, world):
    learner = make_user("newbie")
    client.force_login(learner)
    client.post(join_url(world["cohort"]))
    client.post(join_url(world["cohort"]))
    assert Membership.objects.filter(cohort=world["cohort"], user=learner).count() == 1


def test_the_membership_constraint_refuses_a_duplicate(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(cohort=world["cohort"], user=world["member"])


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_revoked_link_joins_nobody(client, world, method):
    old_url = join_url(world["cohort"])
    world["cohort"].turn_off_invite()
    learner = make_user("newbie")
    client.force_login(learner)
    response = getattr(client, method)(old_url)
    assert response.status_code == 404
    assert "This invite link does not work" in response.content.decode()
    assert not Membership.objects.filter(user=learner).exists()


def test_a_regenerated_link_replaces_the_old_one(client, world):
    client.force_login(world["lead"])
    old_url = join_url(world["cohort"])
    client.post(
        reverse("cohorts:cohort_invite", args=[world["cohort"].pk]), {"action": "regenerate"}
    )
    world["cohort"].refresh_from_db()
    new_url = join_url(world["cohort"])
    assert new_url != old_url
    learner = make_user("newbie")
    client.force_login(learner)
    assert client.post(old_url).status_code == 404
    assert not Membership.objects.filter(user=learner).exists()
    assert client.post(new_url).status_code == 302
    assert Membership.objects.filter(user=learner, cohort=world["cohort"]).exists()


@pytest.mark.parametrize(
    "mangle",
    [
        lambda token: token[:-1],
        lambda token: token + "x",
        lambda token: token.swapcase(),
        lambda token: "0" * len(token),
    ],
    ids=["truncated", "extended", "case-flipped", "made-up"],
)
def test_a_tampered_link_joins_nobody(client, world, mangle):
    learner = make_user("newbie")
    client.force_login(learner)
    url = reverse("cohorts:cohort_join", args=[mangle(world["cohort"].invite_token)])
    response = client.post(url)
    assert response.status_code == 404
    assert "This invite link does not work" in response.content.decode()
    assert not Membership.objects.filter(user=learner).exists()


def test_invite_tokens_are_unguessable():
    lead = make_lead()
    tokens = {make_cohort(lead, name=f"C{i}").invite_token for i in range(20)}
    assert len(tokens) == 20
    assert all(len(token) >= 32 for token in tokens)


def test_a_member_leaves_and_the_lead_no_longer_sees_them(client, world):
    client.force_login(world["member"])
    response = client.post(reverse("cohorts:cohort_leave", args=[world["cohort"].pk]))
    assert response.status_code == 302
    assert not Membership.objects.filter(user=world["member"], cohort=world["cohort"]).exists()
    client.force_login(world["lead"])
    url = reverse("cohorts:cohort_learner", args=[world["cohort"].pk, world["member"].pk])
    assert client.get(url).status_code == 404
    heatmap = client.get(world["cohort"].get_absolute_url()).content.decode()
    assert "Mia Member" not in heatmap


def test_leave_needs_a_post(client, world):
    client.force_login(world["member"])
    response = client.get(reverse("cohorts:cohort_leave", args=[world["cohort"].pk]))
    assert response.status_code == 405
    assert Membership.objects.filter(user=world["member"], cohort=world["cohort"]).exists()


def test_your_cohorts_partial_lists_cohorts_and_their_leads(rf, world):
    from cohorts.personal import profile_page

    request = rf.get("/")
    request.user = world["member"]
    html = profile_page(request)["cohorts"]
    assert "Spring cohort" in html
    assert "Lena Lead" in html
    assert reverse("cohorts:cohort_leave", args=[world["cohort"].pk]) in html


# Evidence review


def review_url(claim):
    return reverse("cohorts:cohort_review", args=[claim.pk])


def test_queue_lists_waiting_claims_first_with_the_self_rating(client, world):
    client.force_login(world["lead"])
    page = client.get(reverse("cohorts:cohort_reviews")).content.decode()
    assert "Waiting for review (1)" in page
    assert world["claim"].skill.name in page
    assert "4 of 5 in the latest full audit" in page


def test_claims_without_evidence_or_not_passed_are_not_in_the_queue(client, world):
    skills = list(Skill.objects.all()[3:5])
    claim_test(world["member"], skills[0], evidence="")
    Progress.objects.create(user=world["member"], skill=skills[1], status="learning")
    client.force_login(world["lead"])
    page = client.get(reverse("cohorts:cohort_reviews")).content.decode()
    assert "Waiting for review (1)" in page
    assert skills[0].name not in page
    url = review_url(Progress.objects.get(skill=skills[0]))
    assert client.post(url, {"review": "verified"}).status_code == 404


def test_lead_verifies_a_claim(client, world):
    client.force_login(world["lead"])
    response = client.post(review_url(world["claim"]), {"review": "verified", "comment": "Nice."})
    assert response.status_code == 302
    claim = Progress.objects.get(pk=world["claim"].pk)
    assert claim.review == "verified"
    assert claim.review_comment == "Nice."
    assert claim.reviewed_by == world["lead"]
    assert timezone.now() - claim.reviewed_at < timedelta(minutes=1)
    page = client.get(reverse("cohorts:cohort_reviews")).content.decode()
    assert "Waiting for review (0)" in page
    assert "self-rated 4" in page
    assert "test verified" in page


def test_needs_work_requires_a_comment(client, world):
    client.force_login(world["lead"])
    before = snapshot()
    response = client.post(review_url(world["claim"]), {"review": "needs_work", "comment": ""})
    assert response.status_code == 400
    assert "Say what needs work" in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("outcome", ["", "approved", "test_passed"])
def test_a_bad_outcome_changes_nothing(client, world, outcome):
    client.force_login(world["lead"])
    before = snapshot()
    response = client.post(review_url(world["claim"]), {"review": outcome, "comment": "x"})
    assert response.status_code == 400
    assert snapshot() == before


def test_the_review_form_carries_the_evidence_the_lead_is_looking_at(client, world):
    client.force_login(world["lead"])
    for page in (
        client.get(review_url(world["claim"])),
        client.get(reverse("cohorts:cohort_reviews")),
    ):
        assert (
            f'name="seen_evidence" value="{world["claim"].evidence_url}"' in page.content.decode()
        )


def test_a_verdict_on_evidence_the_learner_changed_since_is_not_recorded(client, world):
    client.force_login(world["lead"])
    seen = world["claim"].evidence_url
    Progress.objects.filter(pk=world["claim"].pk).update(evidence_url="https://example.org/new")
    before = snapshot()

    response = client.post(
        review_url(world["claim"]),
        {"review": "verified", "comment": "Looks right.", "seen_evidence": seen},
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert "changed this claim since you opened it, so nothing was recorded" in page
    assert 'name="seen_evidence" value="https://example.org/new"' in page
    assert "Looks right." in page, "the lead's comment is kept for the second look"
    assert snapshot() == before
    assert Progress.objects.get(pk=world["claim"].pk).review == ""


def test_a_claim_the_learner_took_back_as_the_lead_sent_a_verdict_records_none(world):
    claim = world["claim"]
    Progress.objects.filter(pk=claim.pk).update(status=Progress.Status.LEARNING)
    with pytest.raises(review.ClaimChanged):
        review.record_review(
            claim,
            lead=world["lead"],
            outcome="verified",
            comment="",
            seen_evidence=claim.evidence_url,
        )
    assert Progress.objects.get(pk=claim.pk).review == ""


def test_a_verdict_on_the_evidence_the_lead_saw_is_recorded(client, world):
    client.force_login(world["lead"])
    response = client.post(
        review_url(world["claim"]),
        {"review": "verified", "seen_evidence": world["claim"].evidence_url},
    )
    assert response.status_code == 302
    assert Progress.objects.get(pk=world["claim"].pk).review == "verified"


def test_needs_work_shows_in_calibration(client, world):
    client.force_login(world["lead"])
    client.post(review_url(world["claim"]), {"review": "needs_work", "comment": "No tests."})
    page = client.get(reverse("cohorts:cohort_reviews")).content.decode()
    assert "self-rated 4" in page
    assert "test needs work" in page
    assert "No tests." in page


def test_the_profile_lists_the_learners_cohorts_and_who_sees_their_data(client, world):
    learner = make_user("newbie")
    client.force_login(learner)
    client.post(join_url(world["cohort"]))
    profile = client.get(reverse("profile")).content.decode()
    assert "Your cohorts and who sees your data" in profile
    assert "Spring cohort" in profile
    assert "Lena Lead" in profile
    assert "Cohorts you lead" not in profile


def test_the_profile_of_a_lead_links_to_their_cohorts(client, world):
    client.force_login(world["lead"])
    profile = client.get(reverse("profile")).content.decode()
    assert reverse("cohorts:cohorts") in profile
    assert "You are in no cohort" in profile


def test_the_learner_sees_the_leads_review_on_the_skill_page(client, world):
    client.force_login(world["lead"])
    client.post(review_url(world["claim"]), {"review": "needs_work", "comment": "Add a test set."})
    client.force_login(world["member"])
    page = client.get(world["claim"].skill.get_absolute_url()).content.decode()
    assert "Needs work" in page
    assert "Add a test set." in page
    assert "Lena Lead" in page


def test_the_learner_sees_the_leads_review_on_the_dashboard(client, world):
    client.force_login(world["lead"])
    client.post(review_url(world["claim"]), {"review": "verified", "comment": "Clean repo."})
    client.force_login(world["member"])
    page = client.get(reverse("assessments:dashboard")).content.decode()
    assert "Your evidence, reviewed" in page
    assert "Verified" in page
    assert "Clean repo." in page
    client.force_login(world["non_member"])
    assert (
        "Your evidence, reviewed"
        not in client.get(reverse("assessments:dashboard")).content.decode()
    )


# session, user, leads a cohort?, counts by outcome, waiting page, latest reviews, whether they
# lead for the nav; on every view (each claim's form carries the CSRF token, so the page is not
# kept, and the people-shown query that was its cache key went with that)
QUEUE_QUERIES = 7


@pytest.mark.parametrize("claims", [2, 30])
def test_review_queue_queries_do_not_grow_with_the_claims(
    client, world, django_assert_num_queries, claims
):
    for skill in Skill.objects.all()[3 : 3 + claims]:
        claim_test(world["member"], skill)
    client.force_login(world["lead"])
    with django_assert_num_queries(QUEUE_QUERIES):
        response = client.get(reverse("cohorts:cohort_reviews"), {"page": "2"})
    assert f"Waiting for review ({claims + 1})" in response.content.decode()
    with django_assert_num_queries(QUEUE_QUERIES):
        again = client.get(reverse("cohorts:cohort_reviews"), {"page": "2"})
    assert unmasked(again) == unmasked(response)


def unmasked(response):
    """The page without its CSRF token, masked afresh on every response."""
    return re.sub(r"[A-Za-z0-9]{64}", "", response.content.decode())


def _many_claims(world, count):
    """`count` claims waiting, from `count` learners (a learner claims each skill once)."""
    skill = Skill.objects.first()
    for i in range(count):
        learner = make_user(f"claimant{i:03d}", display_name=f"Claimant {i:03d}")
        world["cohort"].members.add(learner)
        claim_test(learner, skill, passed_at=timezone.now() - timedelta(days=400 - i))


def test_the_review_queue_comes_a_page_at_a_time_oldest_first(client, world):
    _many_claims(world, 60)
    client.force_login(world["lead"])
    url = reverse("cohorts:cohort_reviews")
    first = client.get(url).content.decode()
    assert "Waiting for review (61)" in first
    assert first.count('class="card review-item"') == WAITING_PER_PAGE
    assert "Claimant 000" in first and "Claimant 030" not in first
    assert "1–25 of 61" in first
    assert 'href="?page=2"' in first and "Page 1 of 3" in first
    third = client.get(url, {"page": "3"}).content.decode()
    assert third.count('class="card review-item"') == 11
    assert "Mia Member" in third  # claimed two days ago: the newest, last
    assert 'href="?page=2"' in third and 'href="?page=4"' not in third
    for bad in ("0", "x", "99"):
        assert client.get(url, {"page": bad}).status_code == 200
    assert client.get(url, {"page": "\x00"}).status_code == 400  # refused before the view


def test_htmx_gets_only_the_waiting_list(client, world):
    _many_claims(world, 30)
    client.force_login(world["lead"])
    response = client.get(
        reverse("cohorts:cohort_reviews"),
        {"page": "2"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="waiting",
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="waiting"')
    assert "Calibration" not in html and "<html" not in html
    assert html.count('class="card review-item"') == 6


def test_calibration_counts_every_review_not_only_the_latest_shown(client, world):
    _many_claims(world, LATEST_REVIEWS + 5)
    Progress.objects.filter(review="").update(
        review="verified", reviewed_by=world["lead"], reviewed_at=timezone.now()
    )
    client.force_login(world["lead"])
    page = client.get(reverse("cohorts:cohort_reviews")).content.decode()
    calibration = page.split('id="calibration-heading"')[1].split("</table>")[0]
    assert f"<td>{LATEST_REVIEWS + 6}</td>" in calibration
    assert f"The latest {LATEST_REVIEWS} reviews" in page


# Finding 8: a lead who joined their own cohort


def test_a_lead_in_their_own_cohort_cannot_verify_their_own_evidence(client, world):
    lead = world["lead"]
    world["cohort"].members.add(lead)
    own = claim_test(lead, Skill.objects.last())
    client.force_login(lead)
    queue = client.get(reverse("cohorts:cohort_reviews")).content.decode()
    assert "Waiting for review (1)" in queue
    assert review_url(own) not in queue
    before = snapshot()
    assert client.get(review_url(own)).status_code == 404
    assert client.post(review_url(own), {"review": "verified"}).status_code == 404
    assert snapshot() == before
    assert Progress.objects.get(pk=own.pk).review == ""


# Finding 12: a lead taken out of "Cohort leads"


def test_a_lead_taken_out_of_the_leads_group_no_longer_opens_their_cohorts(client, world, settings):
    settings.COHORTS_RESTRICTED_TO_GROUP = True  # the group matters only when restricted
    from django.contrib.auth.models import Group

    lead, cohort = world["lead"], world["cohort"]
    client.force_login(lead)
    urls = [
        cohort.get_absolute_url(),
        reverse("cohorts:cohort_export", args=[cohort.pk]),
        reverse("cohorts:cohort_learner", args=[cohort.pk, world["member"].pk]),
        review_url(world["claim"]),
        reverse("cohorts:cohort_reviews"),
        reverse("cohorts:cohorts"),
    ]
    assert all(client.get(url).status_code == 200 for url in urls)

    lead.groups.remove(Group.objects.get(name="Cohort leads"))
    assert [client.get(url).status_code for url in urls] == [404] * len(urls)
    before = snapshot()
    client.post(review_url(world["claim"]), {"review": "verified"})
    client.post(reverse("cohorts:cohort_invite", args=[cohort.pk]), {"action": "off"})
    assert snapshot() == before
    assert reverse("cohorts:cohorts") not in client.get(reverse("profile")).content.decode()

    lead.groups.add(Group.objects.get(name="Cohort leads"))  # put back: the cohort is theirs again
    assert client.get(cohort.get_absolute_url()).status_code == 200


def test_a_lead_given_the_permission_directly_keeps_their_cohorts(client, world):
    from django.contrib.auth.models import Group, Permission

    lead = world["lead"]
    lead.groups.remove(Group.objects.get(name="Cohort leads"))
    lead.user_permissions.add(Permission.objects.get(codename="lead_cohorts"))
    client.force_login(lead)
    assert client.get(world["cohort"].get_absolute_url()).status_code == 200


def test_the_admin_offers_only_people_who_may_lead_as_leads(client, world, staff_user, settings):
    settings.COHORTS_RESTRICTED_TO_GROUP = True  # the group matters only when restricted
    client.force_login(staff_user)
    url = reverse("admin:cohorts_cohort_change", args=[world["cohort"].pk])
    response = client.post(
        url,
        {
            "name": "Spring cohort",
            "description": "",
            "leads": [world["member"].pk],
            "invite_token": "abc",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200  # the form again, with an error
    assert list(world["cohort"].leads.all()) == [world["lead"]]


# Finding 7: a double-clicked "new cohort"


def _new_cohort_form(client):
    page = client.get(reverse("cohorts:cohort_create")).content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    return {"name": "Autumn", "description": "Twenty weeks.", "form_token": token}


def test_the_same_new_cohort_form_sent_twice_starts_one_cohort(client):
    lead = make_lead()
    client.force_login(lead)
    data = _new_cohort_form(client)
    first = client.post(reverse("cohorts:cohort_create"), data)
    second = client.post(reverse("cohorts:cohort_create"), data, follow=True)
    cohort = Cohort.objects.get()
    assert first["Location"] == cohort.get_absolute_url()
    assert second.redirect_chain[-1][0] == cohort.get_absolute_url()
    assert "“Autumn” was already started: here it is." in second.content.decode()
    another = client.post(reverse("cohorts:cohort_create"), _new_cohort_form(client))
    assert another.status_code == 302
    assert Cohort.objects.count() == 2  # a new form is a new cohort, even with the same name


def test_a_new_cohort_form_without_its_token_or_with_another_leads_starts_nothing(client):
    other = make_lead("other")
    client.force_login(other)
    used = _new_cohort_form(client)
    client.post(reverse("cohorts:cohort_create"), used)
    client.force_login(make_lead())
    for data in (
        {"name": "No token"},
        {"name": "Bad", "form_token": "x"},
        {**used, "name": "Hijack"},
    ):
        response = client.post(reverse("cohorts:cohort_create"), data)
        assert response.status_code == 200
        assert "reload the page and send it again" in response.content.decode()
    assert list(Cohort.objects.values_list("name", flat=True)) == ["Autumn"]


# Finding 15: a description the size of a document


def test_a_cohort_description_has_a_limit_with_a_clear_error(client, world):
    client.force_login(world["lead"])
    data = {**_new_cohort_form(client), "description": "x" * 2_000_000}
    response = client.post(reverse("cohorts:cohort_create"), data)
    assert response.status_code == 200
    assert "Keep the description to 2000 characters or fewer (it has 2000000)" in (
        response.content.decode()
    )
    edit = reverse("cohorts:cohort_edit", args=[world["cohort"].pk])
    assert (
        client.post(edit, {"name": "Spring cohort", "description": "y" * 2001}).status_code == 200
    )
    assert (
        client.post(edit, {"name": "Spring cohort", "description": "y" * 2000}).status_code == 302
    )
    assert Cohort.objects.filter(description__startswith="x").count() == 0


def test_the_database_refuses_a_description_over_the_limit(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Cohort.objects.filter(pk=world["cohort"].pk).update(description="z" * 2001)


def test_a_co_lead_who_lost_the_permission_sees_no_claims_though_the_other_lead_does(
    client, world, settings
):
    settings.COHORTS_RESTRICTED_TO_GROUP = True  # the group matters only when restricted
    from django.contrib.auth.models import Group

    co_lead = make_lead("colead")
    world["cohort"].leads.add(co_lead)
    co_lead.groups.remove(Group.objects.get(name="Cohort leads"))
    client.force_login(co_lead)
    assert client.get(reverse("cohorts:cohort_reviews")).status_code == 404
    assert client.get(review_url(world["claim"])).status_code == 404
    from cohorts.review import evidence_claims

    assert not evidence_claims(co_lead).exists()
    assert evidence_claims(world["lead"]).exists()
