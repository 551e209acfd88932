"""Issue 12, finding 7: the same "new cohort" form sent at the same moment from several
threads (as a double click through two servers) makes one cohort, and every sender is sent to
it. Real concurrency needs PostgreSQL and committed transactions."""

import threading
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from cohorts.models import Cohort
from tests.factories import make_lead

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SENDERS = 8


def test_one_cohort_from_one_form_sent_at_once_from_many_threads():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers")
    lead = make_lead()
    data = {"name": "Autumn", "form_token": str(uuid.uuid4())}
    barrier = threading.Barrier(SENDERS)
    answers = []

    def send():
        client = Client()
        client.force_login(lead)
        try:
            barrier.wait()
            response = client.post(reverse("cohorts:cohort_create"), data)
            answers.append((response.status_code, response.get("Location")))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(SENDERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    cohort = Cohort.objects.get()
    assert list(cohort.leads.all()) == [lead]
    assert answers == [(302, cohort.get_absolute_url())] * SENDERS
