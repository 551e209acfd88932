"""Issue 12, finding 7: the same "new cohort" form sent at the same moment from several
threads (as a double click through two servers) makes one cohort, and every sender is sent to
it. Issue 24: a lead's verdict sent at the same moment several times through the API (a
script's retry) is recorded once and its email queued once. Real concurrency needs PostgreSQL
and committed transactions."""

import threading
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from cohorts.models import Cohort
from curriculum.models import Skill
from notices.models import Notice
from tests import factories
from tests.factories import make_lead

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SENDERS = 8


def _at_once(send):
    """Run `send` in SENDERS threads let go together, each on a connection of its own."""
    barrier = threading.Barrier(SENDERS)

    def sender():
        try:
            barrier.wait()
            send()
        finally:
            connection.close()

    threads = [threading.Thread(target=sender) for _ in range(SENDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_one_cohort_from_one_form_sent_at_once_from_many_threads():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers")
    lead = make_lead()
    data = {"name": "Autumn", "form_token": str(uuid.uuid4())}
    answers = []

    def send():
        client = Client()
        client.force_login(lead)
        response = client.post(reverse("cohorts:cohort_create"), data)
        answers.append((response.status_code, response.get("Location")))

    _at_once(send)

    cohort = Cohort.objects.get()
    assert list(cohort.leads.all()) == [lead]
    assert answers == [(302, cohort.get_absolute_url())] * SENDERS


def test_one_verdict_sent_at_once_from_many_threads_is_recorded_and_queued_to_the_learner_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers")
    lead = make_lead()
    learner = factories.learner()
    factories.make_cohort(lead, members=[learner])
    claim = factories.claim_test(learner, Skill.objects.order_by("pk").first())
    _row, token = factories.access_token(lead)
    verdict = '{"review": "verified", "comment": "Solid."}'
    answers = []

    def send():
        response = Client().put(
            f"/api/v1/lead/evidence/{claim.pk}/review",
            verdict,
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )
        answers.append((response.status_code, response.json()["reviewed_at"]))

    _at_once(send)

    assert Notice.objects.filter(user=learner, kind=Notice.Kind.REVIEW_VERDICT).count() == 1
    claim.refresh_from_db()
    assert claim.review == "verified"
    assert answers == [(200, answers[0][1])] * SENDERS, "each answer shows the one verdict"
