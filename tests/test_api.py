"""The API at /api/v1/: tokens, the curriculum, a learner's own data, a lead's cohorts, and the
behaviour an integrator expects (problem details, cursors, ETags, rate limits, CORS, replays)."""

import html
import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from api.models import AccessToken, IdempotentWrite
from assessments.models import Audit, Progress, Rating
from cohorts.members import member_pks
from curriculum.models import Skill, Track
from tests import factories

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


class Api:
    """A client that sends a token (or none) and JSON."""

    def __init__(self, token=None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path, **headers):
        return self.client.get(f"/api/v1{path}", headers={**self.headers, **headers})

    def send(self, method, path, body=None, **headers):
        return self.client.generic(
            method,
            f"/api/v1{path}",
            json.dumps(body) if body is not None else "",
            content_type="application/json",
            headers={**self.headers, **headers},
        )

    def put(self, path, body=None, **headers):
        return self.send("PUT", path, body, **headers)

    def post(self, path, body=None, **headers):
        return self.send("POST", path, body, **headers)


def api_as(user, scope="write"):
    return Api(factories.access_token(user, scope=scope)[1])


def is_problem(response, status):
    body = response.json()
    return (
        response.status_code == status
        and response["Content-Type"].startswith(PROBLEM)
        and body["status"] == status
        and body["title"]
        and body["type"]
        and body["detail"]
    )


@pytest.fixture
def skill():
    return Skill.objects.current().first()


# The schema and its page


def test_the_schema_is_openapi_3_1_and_lists_every_area():
    response = Api().get("/openapi.json")
    schema = response.json()
    assert response.status_code == 200
    assert schema["openapi"].startswith("3.1")
    assert {"/api/v1/curriculum/tracks", "/api/v1/me/standing", "/api/v1/lead/evidence"} <= set(
        schema["paths"]
    )


def test_the_docs_page_lists_operations_from_the_schema_and_loads_nothing_from_elsewhere(client):
    response = client.get("/api/v1/docs/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "/api/v1/me/draft/ratings/{skill}" in page
    assert "A read-and-write token." in page
    assert "https://cdn" not in page and "unpkg" not in page


def test_the_docs_page_names_no_file_a_reader_cannot_open(client):
    page = html.unescape(client.get("/api/v1/docs/").content.decode())
    intro = Api().get("/openapi.json").json()["info"]["description"]
    assert "docs/" not in intro and ".md" not in intro
    assert intro in page
    assert ".md" not in page, "no operation names a file in the repository either"
    assert "personal access token made on their profile page" in intro


def test_the_schema_and_docs_page_speak_to_an_integrator_not_of_the_codes_internals(client):
    schema = Api().get("/openapi.json").json()
    descriptions = {
        operation["operationId"]: operation.get("description", "")
        for operations in schema["paths"].values()
        for operation in operations.values()
    }
    for operation, description in descriptions.items():
        words = set(re.findall(r"[a-z]+", description.lower()))
        assert not words & {"kept", "cache", "cached", "fragments"}, operation
    assert "latest saved audit" in descriptions["get_standing"]
    assert "fragments" not in client.get("/api/v1/docs/").content.decode()


# Tokens: who they are, and when they stop


def test_a_token_acts_as_its_owner(learner):
    assert api_as(learner).get("/me").json()["username"] == "ada"


def test_without_a_token_a_learners_data_is_401_with_problem_details():
    response = Api().get("/me")
    assert is_problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "spoil",
    [
        lambda row: row.owner.__class__.objects.filter(pk=row.owner_id).update(is_active=False),
        lambda row: AccessToken.objects.filter(pk=row.pk).update(revoked_at=timezone.now()),
        lambda row: AccessToken.objects.filter(pk=row.pk).update(
            created_at=timezone.now() - timedelta(days=31),
            expires_at=timezone.now() - timedelta(seconds=1),
        ),
    ],
    ids=["owner deactivated", "revoked", "expired"],
)
def test_a_token_stops_working_when_revoked_expired_or_its_owner_deactivated(learner, spoil):
    row, token = factories.access_token(learner)
    assert Api(token).get("/me").status_code == 200
    spoil(row)
    assert is_problem(Api(token).get("/me"), 401)
    assert is_problem(Api(token).get("/curriculum/trunks"), 401)


def test_a_deleted_accounts_tokens_go_with_it(learner):
    _row, token = factories.access_token(learner)
    learner.delete()
    assert not AccessToken.objects.exists()
    assert is_problem(Api(token).get("/me"), 401)


def test_a_token_with_a_wrong_secret_is_refused(learner):
    _row, token = factories.access_token(learner)
    assert is_problem(Api(token[:-4] + "AAAA").get("/me"), 401)


def test_only_a_hash_of_the_token_is_stored(learner):
    row, token = factories.access_token(learner)
    row.refresh_from_db()
    secret = token.rsplit("_", 1)[1]
    assert secret not in {row.secret_hash, row.prefix, row.name}
    assert len(row.secret_hash) == 64


def test_last_use_is_noted_at_most_once_a_minute(learner, django_assert_num_queries):
    row, token = factories.access_token(learner)
    api = Api(token)
    api.get("/me")
    row.refresh_from_db()
    first = row.last_used_at
    assert first is not None
    api.get("/me")
    row.refresh_from_db()
    assert row.last_used_at == first


def test_a_read_only_token_reads_but_may_not_write(learner, skill):
    api = api_as(learner, scope="read")
    assert api.get("/me/standing").status_code == 200
    response = api.put(f"/me/draft/ratings/{skill.slug}", {"value": 3})
    assert is_problem(response, 403)
    assert not Rating.objects.exists() and not Audit.objects.exists()


def test_a_staff_token_does_not_reach_the_admin():
    staff = factories.superuser()
    _row, token = factories.access_token(staff)
    response = Client().get("/admin/", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_a_session_does_not_reach_the_api(learner_client):
    assert is_problem(learner_client.get("/api/v1/me"), 401)


# The curriculum


def test_the_curriculum_is_public(skill):
    api = Api()
    assert skill.slug in [
        s["slug"] for s in api.get("/curriculum/skills?limit=200").json()["items"]
    ]
    track = api.get("/curriculum/tracks").json()["items"][0]
    assert track["requirements"] and track["requirements"][0]["target"] > 0
    assert api.get("/curriculum/ladder").json()["levels"][0]["signals"]
    assert api.get("/curriculum/path").json()["phases"]
    assert api.get(f"/curriculum/skills/{skill.slug}").json()["name"] == skill.name


def test_the_framework_file_is_one_resource():
    document = Api().get("/curriculum/framework").json()
    assert document["format"] == "skilltree-framework"
    assert len(document["skills"]) == Skill.objects.count()


def test_a_list_reads_on_with_its_cursor_without_repeating_or_skipping():
    api = Api()
    seen, cursor = [], ""
    while True:
        page = api.get(f"/curriculum/skills?limit=7&cursor={cursor}").json()
        seen += [item["slug"] for item in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == [s["slug"] for s in api.get("/curriculum/skills?limit=200").json()["items"]]
    assert len(seen) == Skill.objects.current().count()


def every_item(api, path):
    """Every item of a list, read page by page through its cursors."""
    items, cursor = [], ""
    for _ in range(20):
        page = api.get(f"{path}{'&' if '?' in path else '?'}cursor={cursor}").json()
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return items
    raise AssertionError(f"{path} still had a next page after 20")


def test_a_learners_lists_read_on_with_their_cursors_without_repeating_or_skipping(learner):
    audits = [factories.save_full_audit(learner, {}, days_ago=days) for days in range(5, 0, -1)]
    skills = list(Skill.objects.current()[:5])
    for skill in skills:
        Progress.objects.create(user=learner, skill=skill, status=Progress.Status.LEARNING)
    api = api_as(learner, scope="read")
    read = [audit["id"] for audit in every_item(api, "/me/audits?limit=2")]
    assert read == [audit.pk for audit in reversed(audits)], "newest first"
    progress = [row["skill"] for row in every_item(api, "/me/progress?limit=2")]
    assert sorted(progress) == sorted(skill.slug for skill in skills)


def test_a_leads_lists_read_on_with_their_cursors_without_repeating_or_skipping(monkeypatch):
    from cohorts import heatmap

    monkeypatch.setitem(heatmap.PER_PAGE, "trunks", 2)
    lead = factories.lead_with_cohort(5)
    cohort = lead.led_cohorts.get()
    api = api_as(lead, scope="read")
    members = every_item(api, f"/lead/cohorts/{cohort.pk}/members")
    assert sorted(member["id"] for member in members) == sorted(member_pks(cohort))
    claims = every_item(api, "/lead/evidence?limit=2")
    waiting = Progress.objects.claims().awaiting_review().filter(user__in=member_pks(cohort))
    assert sorted(claim["id"] for claim in claims) == sorted(waiting.values_list("pk", flat=True))
    assert len(claims) == 5


def test_a_lead_reads_the_evidence_waiting_in_the_order_of_their_review_page():
    from cohorts.review import review_queue

    lead = factories.lead_with_cohort(5)
    waiting = list(Progress.objects.claims().awaiting_review().order_by("pk"))
    now = timezone.now()
    # not in row order, two marked passed at the same moment, one with no date at all
    for days_ago, claim in zip([2, 9, 4, 2, None], waiting, strict=True):
        passed_at = None if days_ago is None else now - timedelta(days=days_ago)
        Progress.objects.filter(pk=claim.pk).update(passed_at=passed_at)
    read = every_item(api_as(lead, scope="read"), "/lead/evidence?limit=1")
    passed = [claim["passed_at"] for claim in read]
    assert passed[0] is None and passed[1:] == sorted(passed[1:]), "oldest first"
    on_the_page = [claim.pk for claim in review_queue(lead).waiting]
    assert [claim["id"] for claim in read] == on_the_page


@pytest.mark.parametrize(
    "query", ["cursor=bm9wZQ", "cursor=%FF", "limit=0", "limit=9999", "limit=x"]
)
def test_a_bad_cursor_or_limit_is_a_problem(query):
    response = Api().get(f"/curriculum/skills?{query}")
    assert response.status_code in (400, 422)
    assert is_problem(response, response.status_code)


def test_an_unchanged_read_is_304_with_its_etag():
    api = Api()
    first = api.get("/curriculum/tracks")
    again = api.get("/curriculum/tracks", **{"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert not again.content


def test_a_read_changed_since_its_etag_is_answered_whole(learner, skill):
    api = api_as(learner)
    before = api.get("/me/progress")
    api.put(f"/me/progress/{skill.slug}", {"status": "learning"})
    after = api.get("/me/progress", **{"If-None-Match": before["ETag"]})
    assert after.status_code == 200
    assert after.json()["items"][0]["status"] == "learning"


def test_an_unknown_address_or_method_under_the_api_is_a_problem():
    assert is_problem(Api().get("/no-such-thing"), 404)
    assert is_problem(Api().post("/curriculum/tracks"), 405)


# A learner's own


def test_a_learner_rates_a_skill_in_a_draft_made_on_first_use_and_saves_it(learner, skill):
    api = api_as(learner)
    draft = api.put(f"/me/draft/ratings/{skill.slug}", {"value": 4}).json()
    assert draft["saved_at"] is None
    assert draft["ratings"] == [{"skill": skill.slug, "skill_id": skill.pk, "value": 4}]
    saved = api.post(f"/me/audits/{draft['id']}/save").json()
    assert saved["saved_at"] is not None
    assert api.get("/me/audits").json()["items"][0]["id"] == draft["id"]


def test_a_rating_sent_twice_is_one_rating(learner, skill):
    api = api_as(learner)
    api.put(f"/me/draft/ratings/{skill.slug}", {"value": 4})
    api.put(f"/me/draft/ratings/{skill.slug}", {"value": 4})
    assert Rating.objects.count() == 1 and Audit.objects.count() == 1


def test_saving_twice_saves_once(learner, skill):
    api = api_as(learner)
    draft = api.put(f"/me/draft/ratings/{skill.slug}", {"value": 4}).json()
    first = api.post(f"/me/audits/{draft['id']}/save").json()
    second = api.post(f"/me/audits/{draft['id']}/save").json()
    assert first["saved_at"] == second["saved_at"]
    assert Audit.objects.count() == 1


def test_a_draft_with_every_rating_cleared_is_not_saved(learner, skill):
    api = api_as(learner)
    draft = api.put(f"/me/draft/ratings/{skill.slug}", {"value": 4}).json()
    api.put(f"/me/draft/ratings/{skill.slug}", {"value": None})
    refused = api.post(f"/me/audits/{draft['id']}/save")
    assert is_problem(refused, 422)
    assert refused.json()["detail"] == "Rate at least one skill before you save the audit."
    assert api.get("/me/draft").json()["saved_at"] is None


@pytest.mark.parametrize("value", [0, 6, "3", 2.5, "four"])
def test_a_rating_outside_1_to_5_is_a_problem_and_changes_nothing(learner, skill, value):
    response = api_as(learner).put(f"/me/draft/ratings/{skill.slug}", {"value": value})
    assert is_problem(response, 422)
    assert not Rating.objects.exists()


def test_a_saved_audit_cannot_be_rated_into(learner, skill):
    audit = factories.save_full_audit(learner, {skill: 2})
    api = api_as(learner)
    api.put(f"/me/draft/ratings/{skill.slug}", {"value": 5})
    assert Rating.objects.get(audit=audit).value == 2


def test_another_learners_audit_is_404(learner, other_learner, skill):
    audit = factories.save_full_audit(other_learner, {skill: 2})
    api = api_as(learner)
    assert is_problem(api.get(f"/me/audits/{audit.pk}"), 404)
    assert is_problem(api.post(f"/me/audits/{audit.pk}/save"), 404)


def test_the_standing_is_the_dashboards_gap_fit_and_ladder(skill):
    track = Track.objects.current().first()
    user = factories.learner_aiming_at(track)
    factories.save_full_audit(user, dict.fromkeys(Skill.objects.current(), 3))
    standing = api_as(user).get("/me/standing").json()
    assert standing["target_track"] == track.slug
    assert {fit["track"] for fit in standing["fits"]} == set(
        Track.objects.current().values_list("slug", flat=True)
    )
    assert standing["fits"][0]["rank"] == 1
    assert any(gap["target"] is not None for gap in standing["gaps"])


def test_the_standing_follows_a_rating_saved_through_the_api(learner, skill):
    api = api_as(learner)
    assert api.get("/me/standing").json()["audit"] is None
    draft = api.put(f"/me/draft/ratings/{skill.slug}", {"value": 4}).json()
    api.post(f"/me/audits/{draft['id']}/save")
    assert api.get("/me/standing").json()["audit"] == draft["id"]


def test_a_lead_sees_a_members_new_claim_at_once(lena):
    api = api_as(lena)
    cohort = lena.led_cohorts.get()
    before = api.get(f"/lead/cohorts/{cohort.pk}/members").json()["items"]
    member = before[0]
    api_as(factories.UserFactory._meta.model.objects.get(pk=member["id"])).put(
        f"/me/progress/{Skill.objects.current().last().slug}", {"status": "learning"}
    )
    after = api.get(f"/lead/cohorts/{cohort.pk}/members").json()["items"]
    assert after[0]["learning"] == member["learning"] + 1


def test_a_learner_chooses_a_target_track(learner):
    track = Track.objects.current().last()
    api = api_as(learner)
    assert api.put("/me/target-track", {"track": track.slug}).json()["target_track"] == track.slug
    learner.refresh_from_db()
    assert learner.target_track == track
    response = api.put("/me/target-track", {"track": "no-such-track"})
    assert is_problem(response, 422)
    learner.refresh_from_db()
    assert learner.target_track == track


def test_progress_follows_the_progress_pages_rules(learner, skill):
    api = api_as(learner)
    refused = api.put(f"/me/progress/{skill.slug}", {"status": "test_passed"})
    assert is_problem(refused, 422)
    assert refused.json()["errors"][0]["field"] == "evidence_url"
    assert not Progress.objects.exists()
    sneaky = api.put(
        f"/me/progress/{skill.slug}",
        {"status": "test_passed", "evidence_url": "javascript:alert(1)"},
    )
    assert is_problem(sneaky, 422)
    passed = api.put(
        f"/me/progress/{skill.slug}",
        {"status": "test_passed", "evidence_url": "https://github.com/ada/proof"},
    ).json()
    assert passed["shown_status"] == "test_passed" and passed["passed_at"]
    again = api.put(
        f"/me/progress/{skill.slug}",
        {"status": "test_passed", "evidence_url": "https://github.com/ada/proof"},
    ).json()
    assert again["passed_at"] == passed["passed_at"]
    assert Progress.objects.count() == 1


def test_a_body_that_is_not_json_is_a_problem_and_changes_nothing(learner, skill):
    api = api_as(learner)
    response = api.client.put(
        f"/api/v1/me/progress/{skill.slug}",
        "{not json",
        content_type="application/json",
        headers=api.headers,
    )
    assert is_problem(response, 400)
    assert not Progress.objects.exists()


# A lead's


@pytest.fixture
def lena():
    return factories.lead_with_cohort(3)


def test_a_lead_reads_their_cohorts_members_with_trunk_means(lena):
    api = api_as(lena)
    cohort = api.get("/lead/cohorts").json()["items"][0]
    assert cohort["member_count"] == 3
    members = api.get(f"/lead/cohorts/{cohort['id']}/members").json()["items"]
    assert len(members) == 3
    assert {trunk["trunk"] for trunk in members[0]["trunks"]} >= {"foundations"}
    assert any(trunk["mean"] is not None for trunk in members[0]["trunks"])


def test_a_cohorts_members_are_listed_as_the_schema_says_a_heatmap_page_with_no_limit(lena):
    from cohorts import heatmap

    cohort = lena.led_cohorts.get()
    schema = Api().get("/openapi.json").json()
    operation = schema["paths"]["/api/v1/lead/cohorts/{cohort_id}/members"]["get"]
    query = [p["name"] for p in operation["parameters"] if p["in"] == "query"]
    assert query == ["cursor"]
    assert f"{heatmap.PER_PAGE['trunks']} members by name" in operation["description"]
    members = api_as(lena).get(f"/lead/cohorts/{cohort.pk}/members").json()["items"]
    assert len(members) == len(member_pks(cohort))


def test_a_lead_of_another_cohort_and_a_member_get_404(lena):
    cohort = lena.led_cohorts.get()
    other = factories.lead_with_cohort(1, username="otto", name="Other")
    member = factories.member_of(cohort, username="mia")
    for person in (other, member):
        api = api_as(person)
        assert is_problem(api.get(f"/lead/cohorts/{cohort.pk}"), 404)
        assert is_problem(api.get(f"/lead/cohorts/{cohort.pk}/members"), 404)
        assert is_problem(api.get(f"/lead/cohorts/{cohort.pk}/progress.csv"), 404)


def test_a_lead_gives_a_verdict_once_however_often_it_is_sent(lena, mailoutbox=None):
    api = api_as(lena)
    waiting = api.get("/lead/evidence").json()["items"]
    assert len(waiting) == 3
    claim = waiting[0]["id"]
    sent_back = api.put(f"/lead/evidence/{claim}/review", {"review": "needs_work"})
    assert is_problem(sent_back, 422)
    assert Progress.objects.get(pk=claim).review == ""
    verdict = {"review": "verified", "comment": "Solid."}
    first = api.put(f"/lead/evidence/{claim}/review", verdict).json()
    reviewed_at = Progress.objects.get(pk=claim).reviewed_at
    second = api.put(f"/lead/evidence/{claim}/review", verdict).json()
    assert first == second and first["review"] == "verified"
    assert Progress.objects.get(pk=claim).reviewed_at == reviewed_at
    assert len(api.get("/lead/evidence").json()["items"]) == 2


def test_a_verdict_on_evidence_changed_since_it_was_read_is_409_and_not_recorded(lena):
    api = api_as(lena)
    claim = api.get("/lead/evidence").json()["items"][0]
    Progress.objects.filter(pk=claim["id"]).update(evidence_url="https://example.org/new")
    verdict = {"review": "verified", "evidence_url": claim["evidence_url"]}

    response = api.put(f"/lead/evidence/{claim['id']}/review", verdict)

    assert is_problem(response, 409)
    assert "changed this claim since you read it" in response.json()["detail"]
    assert Progress.objects.get(pk=claim["id"]).review == ""
    again = api.put(
        f"/lead/evidence/{claim['id']}/review",
        {**verdict, "evidence_url": "https://example.org/new"},
    )
    assert again.status_code == 200 and again.json()["review"] == "verified"


def test_another_leads_claim_is_404_and_unchanged(lena):
    claim = Progress.objects.filter(user__in=member_pks(lena.led_cohorts.get())).first()
    other = factories.lead_with_cohort(1, username="otto", name="Other")
    response = api_as(other).put(f"/lead/evidence/{claim.pk}/review", {"review": "verified"})
    assert is_problem(response, 404)
    claim.refresh_from_db()
    assert claim.review == ""


def test_a_lead_downloads_the_cohorts_csv(lena):
    cohort = lena.led_cohorts.get()
    response = api_as(lena, scope="read").get(f"/lead/cohorts/{cohort.pk}/progress.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert b"".join(response.streaming_content).decode().startswith("cohort,learner")


# Integrators' behaviour


def test_past_its_budget_a_token_gets_429_with_retry_after(learner, settings):
    settings.API_RATE_LIMIT = "3/60"
    api = api_as(learner)
    assert [api.get("/me").status_code for _ in range(3)] == [200, 200, 200]
    refused = api.get("/me")
    assert is_problem(refused, 429)
    assert 1 <= int(refused["Retry-After"]) <= 61
    assert "Too many requests with this token" in refused.json()["detail"]
    assert api_as(factories.other_learner()).get("/me").status_code == 200


def test_visitors_have_a_budget_per_address(settings):
    settings.API_VISITOR_RATE_LIMIT = "2/60"
    api = Api()
    assert [api.get("/curriculum/ladder").status_code for _ in range(3)] == [200, 200, 429]


def test_a_visitor_past_their_budget_is_told_so_without_being_told_of_a_token(settings):
    settings.API_VISITOR_RATE_LIMIT = "1/60"
    api = Api()
    api.get("/curriculum/ladder")
    detail = api.get("/curriculum/ladder").json()["detail"]
    assert detail.startswith("Too many requests from your address without a token")
    assert "with this token" not in detail


def test_behind_a_proxy_each_visitor_has_a_budget_of_their_own(settings):
    settings.PROXY_COUNT = 1
    settings.API_VISITOR_RATE_LIMIT = "2/60"
    api = Api()

    def ask(forwarded_for):
        return api.get("/curriculum/ladder", **{"X-Forwarded-For": forwarded_for}).status_code

    assert [ask("203.0.113.5") for _ in range(3)] == [200, 200, 429]
    assert ask("203.0.113.6") == 200, "another visitor, through the same proxy"
    assert ask("198.51.100.1, 203.0.113.5") == 429, "what the client claimed is not its address"


def test_without_a_proxy_a_visitor_cannot_claim_another_address(settings):
    settings.API_VISITOR_RATE_LIMIT = "2/60"
    api = Api()
    answers = [
        api.get("/curriculum/ladder", **{"X-Forwarded-For": f"203.0.113.{n}"}).status_code
        for n in range(3)
    ]
    assert answers == [200, 200, 429]


def test_cors_is_closed_unless_the_origin_is_listed(settings):
    origin = {"Origin": "https://lms.example.org"}
    closed = Api().get("/curriculum/tracks", **origin)
    assert "Access-Control-Allow-Origin" not in closed
    settings.API_CORS_ALLOWED_ORIGINS = ["https://lms.example.org"]
    opened = Api().get("/curriculum/tracks", **origin)
    assert opened["Access-Control-Allow-Origin"] == "https://lms.example.org"
    preflight = Api().send("OPTIONS", "/me", **origin)
    assert preflight.status_code == 204
    assert "Authorization" in preflight["Access-Control-Allow-Headers"]


def test_cors_never_opens_the_sites_pages(settings, client):
    settings.API_CORS_ALLOWED_ORIGINS = ["https://lms.example.org"]
    response = client.get("/", headers={"Origin": "https://lms.example.org"})
    assert "Access-Control-Allow-Origin" not in response


def test_a_write_sent_again_with_its_idempotency_key_is_answered_the_same_and_done_once(
    learner, skill
):
    api = api_as(learner)
    key = {"Idempotency-Key": "rate-1"}
    first = api.put(f"/me/draft/ratings/{skill.slug}", {"value": 2}, **key)
    api.put(f"/me/draft/ratings/{skill.slug}", {"value": 5})
    replay = api.put(f"/me/draft/ratings/{skill.slug}", {"value": 2}, **key)
    assert replay.json() == first.json()
    assert replay["Idempotent-Replayed"] == "true"
    assert Rating.objects.get().value == 5
    assert IdempotentWrite.objects.count() == 1
    elsewhere = api.put("/me/target-track", {"track": Track.objects.first().slug}, **key)
    assert is_problem(elsewhere, 422)


def test_a_write_replayed_for_its_idempotency_key_still_counts_against_the_tokens_budget(
    learner, skill, settings
):
    settings.API_RATE_LIMIT = "3/60"
    api = api_as(learner)
    key = {"Idempotency-Key": "rate-1"}
    answers = [api.put(f"/me/draft/ratings/{skill.slug}", {"value": 2}, **key) for _ in range(4)]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    assert is_problem(answers[-1], 429)
    assert 1 <= int(answers[-1]["Retry-After"]) <= 61


def test_another_tokens_idempotency_key_is_not_replayed(learner, other_learner, skill):
    api_as(learner).put(f"/me/draft/ratings/{skill.slug}", {"value": 2}, **{"Idempotency-Key": "k"})
    response = api_as(other_learner).put(
        f"/me/draft/ratings/{skill.slug}", {"value": 4}, **{"Idempotency-Key": "k"}
    )
    assert response.json()["ratings"][0]["value"] == 4


def test_an_idempotency_key_is_kept_for_a_day(learner, skill):
    api = api_as(learner)
    key = {"Idempotency-Key": "rate-1"}
    api.put(f"/me/draft/ratings/{skill.slug}", {"value": 2}, **key)
    IdempotentWrite.objects.update(created_at=timezone.now() - timedelta(days=1, seconds=1))
    again = api.put(f"/me/draft/ratings/{skill.slug}", {"value": 5}, **key)
    assert "Idempotent-Replayed" not in again
    assert Rating.objects.get().value == 5
    assert IdempotentWrite.objects.count() == 1


# The token pages


def test_the_token_form_sent_twice_makes_one_token_and_shows_it_once(learner_client):
    form = learner_client.get("/accounts/profile/tokens/").context["form"]
    data = {
        "name": "Spreadsheet",
        "scope": "read",
        "days": "30",
        "form_token": str(form.initial["form_token"]),
    }
    first = learner_client.post("/accounts/profile/tokens/", data)
    second = learner_client.post("/accounts/profile/tokens/", data)
    assert first.status_code == second.status_code == 200
    token = first.context["token"]
    assert token.startswith("st_") and token in first.content.decode()
    assert token not in second.content.decode()
    assert "That token was already made" in second.content.decode()
    assert AccessToken.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"name": "", "scope": "read", "days": "30"},
        {"name": "x", "scope": "admin", "days": "30"},
        {"name": "x", "scope": "read", "days": "3650"},
        {"name": "x" * 81, "scope": "write", "days": "7"},
    ],
    ids=["no name", "unknown scope", "too long a life", "too long a name"],
)
def test_a_token_form_that_is_not_valid_is_400_and_makes_nothing(learner_client, data):
    data = {**data, "form_token": "6f1c2b9e-1c4b-4a8e-9a3e-1f2d3c4b5a69"}
    response = learner_client.post("/accounts/profile/tokens/", data)
    assert response.status_code == 400
    assert not AccessToken.objects.exists()


def test_nobody_revokes_another_persons_token(learner, other_learner, client):
    row, token = factories.access_token(learner)
    client.force_login(other_learner)
    assert client.post(f"/accounts/profile/tokens/{row.pk}/revoke/").status_code == 404
    row.refresh_from_db()
    assert row.revoked_at is None
    assert Api(token).get("/me").status_code == 200
