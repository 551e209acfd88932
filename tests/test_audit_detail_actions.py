"""A saved audit's page shows the dashboard's track fit with its "Aim for it" buttons: they
post the page's hidden form, so the form must be on that page too (found by the crawl)."""

import re

import pytest
from django.urls import reverse

from assessments.models import Audit
from tests.factories import learner_with_two_full_audits

pytestmark = pytest.mark.django_db


def test_every_button_on_a_saved_audit_names_a_form_that_is_on_the_page(client):
    ada = learner_with_two_full_audits()
    audit = Audit.objects.filter(user=ada).latest("saved_at")
    client.force_login(ada)

    html = client.get(reverse("assessments:audit_detail", args=[audit.pk])).content.decode()

    named = set(re.findall(r'<button[^>]* form="([^"]+)"', html))
    assert named, "the track fit offers no button to aim for a track"
    assert all(f'<form id="{form}"' in html for form in named)
