import csv
import io
import json
from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from assessments.models import Audit, BaselineAnswer, Progress, Rating, SignalTick
from cohorts.models import Cohort, Membership
from curriculum.models import BaselineQuestion, LadderSignal, Skill, Track
from tests.factories import (
    LEARNER_PASSWORD,
    STAFF_TOTP_SECRET,
    AuditFactory,
    ProgressFactory,
    SignalTickFactory,
    UserFactory,
    give_passkey,
    learner_aiming_at,
)

User = get_user_model()

PASSWORD = LEARNER_PASSWORD  # asked again before an account is deleted

pytestmark = pytest.mark.django_db

DATA_URLS = ["export_json", "export_ratings_csv", "delete_account"]


def _make_learner(username, *, audits=1, skills_per_audit=3):
    """A learner with saved full audits, a quick audit, progress, ladder ticks and a cohort."""
    user = learner_aiming_at(
        username=username,
        email=f"{username}@example.org",
        password=PASSWORD,
        display_name=username.title(),
    )
    skills = list(Skill.objects.order_by("trunk__number", "order")[:skills_per_audit])
    now = timezone.now()
    for index in range(audits):
        audit = AuditFactory(
            user=user,
            days_ago=99 - index,
            ratings={skill: 1 + (position + index) % 5 for position, skill in enumerate(skills)},
        )
        Audit.objects.filter(pk=audit.pk).update(started_at=now - timedelta(days=100 - index))
    AuditFactory(user=user, quick=True, answers=dict.fromkeys(BaselineQuestion.objects.all(), 3))
    ProgressFactory(
        user=user,
        skill=skills[0],
        passed=True,
        evidence_url=f"https://github.com/{username}/proof",
        note="Built it twice.",
    )
    SignalTickFactory(user=user, signal=LadderSignal.objects.first())
    cohort = Cohort.objects.create(name=f"{username}'s cohort")
    Membership.objects.create(cohort=cohort, user=user)
    return user


@pytest.fixture
def ada():
    return _make_learner("ada", audits=2, skills_per_audit=3)


@pytest.fixture
def bob():
    return _make_learner("bob", audits=1, skills_per_audit=5)


def _csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.mark.parametrize("name", DATA_URLS)
def test_anonymous_visitor_is_sent_to_log_in(client, name):
    url = reverse(f"assessments:{name}")

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={url}"


def test_anonymous_post_to_delete_deletes_nothing(client, ada):
    response = client.post(reverse("assessments:delete_account"), {"password": PASSWORD})

    assert response.status_code == 302
    assert User.objects.filter(pk=ada.pk).exists()


# Export


def test_json_export_holds_the_profile_every_audit_progress_ticks_and_cohorts(client, ada, bob):
    lead = UserFactory(username="lead", display_name="Dr Lead")
    Membership.objects.get(user=ada).cohort.leads.add(lead)
    client.force_login(ada)

    response = client.get(reverse("assessments:export_json"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="skill-tree-')
    data = json.loads(response.content)
    assert data["format"] == "skill-tree-export/1"
    assert data["profile"]["username"] == "ada"
    assert data["profile"]["email"] == "ada@example.org"
    assert data["profile"]["display_name"] == "Ada"
    assert data["profile"]["target_track"]["slug"] == Track.objects.first().slug

    full = [audit for audit in data["audits"] if audit["kind"] == "full"]
    quick = [audit for audit in data["audits"] if audit["kind"] == "quick"]
    assert len(full) == 2
    assert len(quick) == 1
    assert {audit["id"] for audit in data["audits"]} == set(
        Audit.objects.filter(user=ada).values_list("pk", flat=True)
    )
    first_skill = Skill.objects.order_by("trunk__number", "order").first()
    assert full[0]["ratings"][0] == {
        "trunk": first_skill.trunk.name,
        "skill": first_skill.name,
        "skill_slug": first_skill.slug,
        "rating": 1,
    }
    assert [r["rating"] for r in full[1]["ratings"]] == [2, 3, 4]
    assert len(quick[0]["baseline_answers"]) == BaselineQuestion.objects.count() > 1
    assert quick[0]["baseline_answers"][0]["question"] == BaselineQuestion.objects.first().text
    assert full[0]["saved_at"] is not None

    [progress] = data["progress"]
    assert progress["status"] == "test_passed"
    assert progress["evidence_url"] == "https://github.com/ada/proof"
    assert progress["note"] == "Built it twice."
    assert progress["review"] == ""

    assert data["ladder_ticks"][0]["signal"] == LadderSignal.objects.first().text
    assert data["cohort_memberships"][0]["cohort"] == "ada's cohort"
    assert data["cohort_memberships"][0]["leads"] == ["Dr Lead"]


def test_json_export_never_includes_another_learners_data(client, ada, bob):
    client.force_login(ada)

    body = client.get(reverse("assessments:export_json")).content.decode()

    assert "bob" not in body
    data = json.loads(body)
    bob_audits = set(Audit.objects.filter(user=bob).values_list("pk", flat=True))
    assert not bob_audits & {audit["id"] for audit in data["audits"]}
    assert sum(len(audit["ratings"]) for audit in data["audits"]) == 6


def test_json_export_of_a_new_learner_is_empty_but_complete(client):
    newcomer = UserFactory(username="newcomer")
    client.force_login(newcomer)

    data = client.get(reverse("assessments:export_json")).json()

    assert data["profile"]["target_track"] is None
    assert data["audits"] == data["progress"] == data["ladder_ticks"] == []
    assert data["cohort_memberships"] == []
    assert data["profile"]["sign_in_providers"] == data["profile"]["second_factors"] == []


def _with_provider_and_second_factors(username, **fields):
    """A learner with an authenticator app and its recovery codes, a passkey "Phone", and a
    provider connected (Campus login, which said who they are there)."""
    user = UserFactory(username=username, second_factor=True, **fields)
    give_passkey(user, name="Phone")
    SocialAccount.objects.create(
        user=user,
        provider="campus",
        uid=f"{username}-at-campus",
        extra_data={"email": f"{username}@campus.example", "email_verified": True},
    )
    return user


def test_json_export_holds_the_providers_and_second_factors_but_not_their_keys(client):
    ada = _with_provider_and_second_factors("ada")
    passkey = Authenticator.objects.get(user=ada, type="webauthn")
    client.force_login(ada)

    body = client.get(reverse("assessments:export_json")).content.decode()

    profile = json.loads(body)["profile"]
    [provider] = profile["sign_in_providers"]
    assert (provider["provider"], provider["uid"]) == ("campus", "ada-at-campus")
    assert provider["details_from_provider"] == {
        "email": "ada@campus.example",
        "email_verified": True,
    }
    assert provider["connected_at"] is not None
    assert [(factor["type"], factor["name"]) for factor in profile["second_factors"]] == [
        ("recovery_codes", "Recovery codes"),
        ("totp", "TOTP Authenticator"),
        ("webauthn", "Phone"),
    ]
    assert STAFF_TOTP_SECRET not in body
    assert passkey.data["credential"]["id"] not in body


def test_csv_export_has_one_row_per_audit_per_rated_skill(client, ada, bob):
    client.force_login(ada)

    response = client.get(reverse("assessments:export_ratings_csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].endswith('.csv"')
    header, *rows = _csv_rows(response)
    assert header == ["audit_id", "kind", "saved_at", "trunk", "skill", "rating"]
    audits = list(Audit.objects.filter(user=ada, kind="full").order_by("started_at"))
    skills = list(Skill.objects.order_by("trunk__number", "order")[:3])
    assert rows == [
        [
            str(audit.pk),
            "full",
            audit.saved_at.isoformat(),
            skill.trunk.name,
            skill.name,
            str(1 + (position + index) % 5),
        ]
        for index, audit in enumerate(audits)
        for position, skill in enumerate(skills)
    ]
    bob_audit_ids = {str(pk) for pk in Audit.objects.filter(user=bob).values_list("pk", flat=True)}
    assert not bob_audit_ids & {row[0] for row in rows}


def test_csv_export_shows_a_draft_with_an_empty_saved_at(client):
    learner = UserFactory(username="drafter")
    draft = AuditFactory(user=learner, draft=True, ratings={Skill.objects.first(): 4})
    client.force_login(learner)

    _, row = _csv_rows(client.get(reverse("assessments:export_ratings_csv")))

    assert row[0] == str(draft.pk)
    assert row[2] == ""
    assert row[5] == "4"


@pytest.mark.parametrize("name", ["export_json", "export_ratings_csv"])
@pytest.mark.parametrize(("audits", "skills_per_audit"), [(1, 2), (6, 30)])
def test_export_query_count_is_fixed(
    client, django_assert_num_queries, name, audits, skills_per_audit
):
    learner = _make_learner("sizer", audits=audits, skills_per_audit=skills_per_audit)
    client.force_login(learner)
    # json: the session, its user, target track, email addresses, sign-in providers, second
    # factors, audits, their ratings, their answers, progress, private skill notes, ticks,
    # memberships, their cohorts' leads. csv: the session and its user, ratings.
    expected = {"export_json": 14, "export_ratings_csv": 3}[name]

    with django_assert_num_queries(expected):
        response = client.get(reverse(f"assessments:{name}"))

    assert response.status_code == 200


# Delete


def test_delete_page_asks_for_the_password_and_says_what_goes(client, ada):
    client.force_login(ada)

    response = client.get(reverse("assessments:delete_account"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Delete your account</h1>" in html
    assert "3 audits with 6 ratings" in html
    assert "1 progress entry" in html
    assert '<label for="id_password">' in html
    assert User.objects.filter(pk=ada.pk).exists()


@pytest.mark.parametrize("password", ["", "wrong-password", "ada"])
def test_delete_with_a_wrong_confirmation_changes_nothing(client, ada, password):
    client.force_login(ada)
    before = (
        Audit.objects.count(),
        Rating.objects.count(),
        Progress.objects.count(),
        SignalTick.objects.count(),
        Membership.objects.count(),
    )

    response = client.post(reverse("assessments:delete_account"), {"password": password})

    assert response.status_code == 200
    html = response.content.decode()
    expected = (
        "This field is required."
        if password == ""
        else "That is not your password. Nothing was deleted."
    )
    assert expected in html
    assert User.objects.filter(pk=ada.pk).exists()
    after = (
        Audit.objects.count(),
        Rating.objects.count(),
        Progress.objects.count(),
        SignalTick.objects.count(),
        Membership.objects.count(),
    )
    assert after == before
    assert client.get(reverse("profile")).status_code == 200  # still logged in


def test_delete_with_the_password_removes_everything_of_the_learner_only(client, ada, bob):
    bob_counts = (
        Audit.objects.filter(user=bob).count(),
        Rating.objects.filter(audit__user=bob).count(),
        Progress.objects.filter(user=bob).count(),
        SignalTick.objects.filter(user=bob).count(),
        Membership.objects.filter(user=bob).count(),
    )
    cohort = Membership.objects.get(user=ada).cohort
    client.force_login(ada)

    response = client.post(reverse("assessments:delete_account"), {"password": PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse("curriculum:home")
    assert not User.objects.filter(username="ada").exists()
    assert not Audit.objects.filter(user_id=ada.pk).exists()
    assert not Rating.objects.filter(audit__user_id=ada.pk).exists()
    assert not BaselineAnswer.objects.filter(audit__user_id=ada.pk).exists()
    assert not Progress.objects.filter(user_id=ada.pk).exists()
    assert not SignalTick.objects.filter(user_id=ada.pk).exists()
    assert not Membership.objects.filter(user_id=ada.pk).exists()
    assert Cohort.objects.filter(pk=cohort.pk).exists()
    assert bob_counts == (
        Audit.objects.filter(user=bob).count(),
        Rating.objects.filter(audit__user=bob).count(),
        Progress.objects.filter(user=bob).count(),
        SignalTick.objects.filter(user=bob).count(),
        Membership.objects.filter(user=bob).count(),
    )
    # logged out, and told so on the next page
    follow = client.get(reverse("account_login"))
    assert not follow.wsgi_request.user.is_authenticated
    assert "Your account is deleted" in follow.content.decode()


def test_deleting_an_account_deletes_its_providers_and_second_factors_only(client):
    ada = _with_provider_and_second_factors("ada", password=PASSWORD)
    grace = _with_provider_and_second_factors("grace")
    client.force_login(ada)

    page = client.get(reverse("assessments:delete_account")).content.decode()
    response = client.post(reverse("assessments:delete_account"), {"password": PASSWORD})

    assert "the sign-in providers you connected, your two-factor authentication" in page
    assert response.status_code == 302
    assert not SocialAccount.objects.filter(user_id=ada.pk).exists()
    assert not Authenticator.objects.filter(user_id=ada.pk).exists()
    assert SocialAccount.objects.filter(user=grace).count() == 1
    assert Authenticator.objects.filter(user=grace).count() == 3


def test_deleting_a_lead_keeps_their_reviews_of_others(client, ada, bob):
    entry = Progress.objects.get(user=bob)
    entry.review = Progress.Review.VERIFIED
    entry.reviewed_by = ada
    entry.save()
    client.force_login(ada)

    client.post(reverse("assessments:delete_account"), {"password": PASSWORD})

    entry.refresh_from_db()
    assert entry.review == "verified"
    assert entry.reviewed_by is None
