"""A visitor takes the quick audit without an account; signing up or logging in keeps it."""

import pytest
from django.test import Client
from django.urls import reverse

from assessments.audits import VISITOR_ANSWERS, adopt_visitor_answers
from assessments.models import Audit, BaselineAnswer
from curriculum.models import BaselineQuestion
from pages import bump_curriculum
from tests.factories import LEARNER_PASSWORD, BaselineQuestionFactory
from tests.html_inputs import checked_value

pytestmark = pytest.mark.django_db

QUICK = reverse("assessments:quick_audit")
PICTURE = reverse("assessments:visitor_picture")


def answers(*values):
    """Answers to the baseline questions in order: the values given, then 3s."""
    questions = list(BaselineQuestion.objects.order_by("order", "pk"))
    values = list(values) + [3] * (len(questions) - len(values))
    return {f"question-{q.pk}": str(v) for q, v in zip(questions, values, strict=True)}


def sign_up(client, username="newcomer", next_url=PICTURE):
    return client.post(
        reverse("account_signup"),
        {
            "username": username,
            "email": f"{username}@example.org",
            "password1": LEARNER_PASSWORD,
            "password2": LEARNER_PASSWORD,
            "next": next_url,
        },
    )


def test_a_visitor_sees_every_baseline_question_on_a_public_page(client):
    page = client.get(QUICK)
    assert page.status_code == 200
    html = page.content.decode()
    for question in BaselineQuestion.objects.all():
        assert question.text in html
    assert "See my first picture" in html


def test_a_visitors_answers_stay_in_the_session_and_show_the_first_picture(client):
    response = client.post(QUICK, answers(4, 2, 1, 5, 3))
    assert response.status_code == 302
    assert response["Location"] == PICTURE
    assert not Audit.objects.exists()
    assert not BaselineAnswer.objects.exists()

    page = client.get(PICTURE).content.decode()
    assert "Your first picture of your buckets" in page
    assert 'value="1.0"' in page and 'value="5.0"' in page
    assert "Sign up to keep it" in page
    assert f"{reverse('account_signup')}?next={PICTURE}" in page

    again = client.get(QUICK).content.decode()
    first = BaselineQuestion.objects.order_by("order", "pk").first()
    assert checked_value(again, f"question-{first.pk}") == "4"


def test_a_visitor_with_missing_answers_gets_the_form_back_and_nothing_kept(client):
    data = answers()
    data.pop(next(iter(data)))
    response = client.post(QUICK, data)
    assert response.status_code == 400
    assert VISITOR_ANSWERS not in client.session
    assert client.get(PICTURE)["Location"] == QUICK


def test_signing_up_keeps_the_visitors_quick_audit(client):
    client.post(QUICK, answers(4, 2, 1, 5, 3))
    response = sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == PICTURE

    audit = Audit.objects.get()
    assert audit.user.username == "newcomer"
    assert audit.kind == Audit.Kind.QUICK and audit.is_saved
    assert sorted(audit.answers.values_list("question__order", "value")) == [
        (1, 4),
        (2, 2),
        (3, 1),
        (4, 5),
        (5, 3),
    ]
    assert VISITOR_ANSWERS not in client.session

    landing = client.get(PICTURE)
    assert landing["Location"] == reverse("assessments:audit_detail", args=[audit.pk])
    page = client.get(landing["Location"]).content.decode()
    assert "Your quick audit is saved to your account." in page
    assert "Sign up to keep it" not in page


def test_logging_in_keeps_the_visitors_quick_audit(client, learner):
    client.post(QUICK, answers(5))
    response = client.post(
        reverse("account_login"), {"login": "ada", "password": LEARNER_PASSWORD, "next": PICTURE}
    )
    assert response.status_code == 302
    audit = Audit.objects.get(user=learner)
    assert audit.answers.get(question__order=1).value == 5


def test_a_double_submitted_log_in_keeps_one_quick_audit(client, learner):
    client.post(QUICK, answers(2))
    twin = Client()
    twin.cookies = client.cookies
    credentials = {"login": "ada", "password": LEARNER_PASSWORD}
    client.post(reverse("account_login"), credentials)
    twin.post(reverse("account_login"), credentials)
    assert Audit.objects.filter(user=learner).count() == 1


def test_adopting_the_same_answers_twice_at_once_saves_one_audit(learner):
    question_ids = BaselineQuestion.objects.values_list("pk", flat=True)
    kept = {str(pk): 4 for pk in question_ids}
    first = adopt_visitor_answers({VISITOR_ANSWERS: dict(kept)}, learner)
    second = adopt_visitor_answers({VISITOR_ANSWERS: dict(kept)}, learner)
    assert first == second
    assert Audit.objects.filter(user=learner).count() == 1
    assert BaselineAnswer.objects.filter(audit__user=learner).count() == len(kept)


def test_tampered_or_incomplete_session_answers_are_not_saved(learner):
    ids = list(BaselineQuestion.objects.values_list("pk", flat=True))
    bad = {str(pk): 9 for pk in ids}
    assert adopt_visitor_answers({VISITOR_ANSWERS: bad}, learner) is None
    partial = {str(ids[0]): 3}
    assert adopt_visitor_answers({VISITOR_ANSWERS: partial}, learner) is None
    assert not Audit.objects.exists()


def test_a_signed_in_learner_on_the_visitor_picture_goes_to_their_own(learner_client):
    assert learner_client.get(PICTURE)["Location"] == QUICK


def test_logging_in_without_a_visitor_audit_saves_nothing(client, learner):
    client.post(reverse("account_login"), {"login": "ada", "password": LEARNER_PASSWORD})
    assert not Audit.objects.exists()


@pytest.mark.parametrize("page", ["form", "picture"])
def test_the_visitors_quick_audit_query_count_is_fixed(client, django_assert_num_queries, page):
    client.post(QUICK, answers())
    url = QUICK if page == "form" else PICTURE
    expected = {"form": 3, "picture": 4}[page]
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200
    BaselineQuestionFactory.create_batch(10)
    bump_curriculum()  # as a curator's save does
    client.post(QUICK, answers())
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


def test_the_sign_up_page_says_the_visitors_answers_will_be_kept(client):
    hint = "Your quick audit answers are waiting"
    assert hint not in client.get(reverse("account_signup")).content.decode()
    client.post(QUICK, answers())
    assert hint in client.get(reverse("account_signup")).content.decode()
