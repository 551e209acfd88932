from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.audits import bucket_picture
from assessments.models import Audit, BaselineAnswer
from curriculum.models import BaselineQuestion
from tests.html_inputs import checked_value, inputs

pytestmark = pytest.mark.django_db

QUICK = reverse("assessments:quick_audit")


def answers(**overrides):
    """A full set of answers: 3 for every question unless told otherwise (by question order)."""
    data = {f"question-{q.pk}": "3" for q in BaselineQuestion.objects.all()}
    for order, value in overrides.items():
        question = BaselineQuestion.objects.get(order=int(order.removeprefix("q")))
        data[f"question-{question.pk}"] = value
    return data


def test_quick_audit_asks_the_five_seed_questions_with_radios_and_explains_the_scale(
    learner_client,
):
    response = learner_client.get(QUICK)
    html = response.content.decode()
    assert response.status_code == 200
    for question in BaselineQuestion.objects.all():
        assert question.text in html
        radios = inputs(html, f"question-{question.pk}")
        assert [(r["type"], r["value"]) for r in radios] == [("radio", str(v)) for v in range(1, 6)]
        assert all(f'for="{r["id"]}"' in html for r in radios)
    assert html.count("<fieldset") == html.count("<legend") == BaselineQuestion.objects.count() > 1
    assert "Rate yourself 1–5, no flinching" in html
    assert "a “2” you admit is a “2” we can fix in six weeks" in html
    for words in ("never touched it", "know what it is", "can do it with help", "could teach it"):
        assert words in html


def test_submitting_the_quick_audit_saves_a_snapshot_and_shows_the_first_picture(
    learner_client, learner
):
    response = learner_client.post(QUICK, answers(q1="4", q2="2", q3="1", q4="5", q5="3"))

    audit = Audit.objects.get(user=learner)
    assert audit.kind == Audit.Kind.QUICK
    assert audit.is_saved
    assert sorted(audit.answers.values_list("question__order", "value")) == [
        (1, 4),
        (2, 2),
        (3, 1),
        (4, 5),
        (5, 3),
    ]
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:audit_detail", args=[audit.pk])

    page = learner_client.get(response["Location"]).content.decode()
    assert "first picture of your buckets" in page
    # Technical holds two questions (4 and 2): their average; the others their one answer.
    assert '<meter id="bucket-1" min="0" max="5" optimum="5" value="3.0">' in page
    assert 'value="1.0"' in page and 'value="5.0"' in page and 'value="3.0"' in page
    assert "Technical Skills" in page and "Domain knowledge" in page
    assert reverse("assessments:audit") in page
    assert f'href="{reverse("curriculum:tracks")}">Pick a target track' in page
    assert reverse("curriculum:tracks") in page


@pytest.mark.parametrize("bad", ["0", "6", "x", ""])
def test_bad_quick_audit_answers_save_nothing_and_say_why(learner_client, bad):
    response = learner_client.post(QUICK, answers(q3=bad))
    assert response.status_code == 400
    assert "Every question needs a rating" in response.content.decode()
    assert not Audit.objects.exists()
    assert not BaselineAnswer.objects.exists()


def test_missing_answer_keeps_the_others_selected(learner_client):
    data = answers(q1="5")
    del data[f"question-{BaselineQuestion.objects.get(order=2).pk}"]
    html = learner_client.post(QUICK, data).content.decode()
    q1 = BaselineQuestion.objects.get(order=1)
    assert checked_value(html, f"question-{q1.pk}") == "5"
    assert "Pick a rating from 1 to 5 for this question." in html


def test_quick_audit_starts_from_the_last_answers(learner_client):
    learner_client.post(QUICK, answers(q1="5"))
    html = learner_client.get(QUICK).content.decode()
    q1 = BaselineQuestion.objects.get(order=1)
    assert checked_value(html, f"question-{q1.pk}") == "5"
    q2 = BaselineQuestion.objects.get(order=2)
    assert checked_value(html, f"question-{q2.pk}") == "3"


def test_other_learners_cannot_see_a_quick_audit(learner_client, client, other_learner):
    learner_client.post(QUICK, answers())
    audit = Audit.objects.get()
    client.force_login(other_learner)
    assert client.get(reverse("assessments:audit_detail", args=[audit.pk])).status_code == 404


def test_bucket_picture_averages_each_buckets_answers_in_bucket_order():
    questions = list(BaselineQuestion.objects.select_related("bucket"))
    made = [
        BaselineAnswer(question=question, value=value)
        for question, value in zip(questions, [5, 2, 4, 1, 3], strict=True)
    ]
    picture = bucket_picture(made)
    assert [row.bucket.short_name for row in picture] == [
        "Technical",
        "Research",
        "Communication",
        "Domain",
    ]
    assert [row.level for row in picture] == [
        Decimal("3.5"),
        Decimal("4.0"),
        Decimal("1.0"),
        Decimal("3.0"),
    ]


def test_quick_audit_page_query_count_is_fixed(learner_client, django_assert_num_queries):
    # the session, its user, whether they lead (the nav), the questions, the passages, the last
    # quick audit
    with django_assert_num_queries(6):
        learner_client.get(QUICK)
    learner_client.post(QUICK, answers())
    learner_client.post(QUICK, answers())
    # one more for the last answers, one fewer: the passages are cached since the first visit
    with django_assert_num_queries(6):
        learner_client.get(QUICK)
