"""Issue 13, phones: every wide table sits in a labelled scroll region named by its caption."""

import re

import pytest
from django.urls import reverse

from curriculum.models import Track
from tests.factories import AuditFactory, learner_aiming_at

REGION = re.compile(
    r'<div class="table-scroll" role="region" aria-labelledby="([^"]+)" tabindex="0">\s*'
    r'<table[^>]*>\s*<caption id="([^"]+)"'
)


def _tables_in_regions(html):
    tables = html.count("<table")
    regions = REGION.findall(html)
    assert all(label == caption for label, caption in regions), regions
    return tables, len(regions)


@pytest.mark.django_db
def test_the_track_page_table_is_a_labelled_region(client):
    track = Track.objects.first()
    html = client.get(track.get_absolute_url()).content.decode()
    assert _tables_in_regions(html) == (1, 1)


@pytest.mark.django_db
def test_every_table_on_the_dashboard_and_audit_history_is_a_labelled_region(client):
    learner = learner_aiming_at(Track.objects.first())
    AuditFactory(user=learner, ratings={"linear-algebra": 2}, days_ago=10)
    AuditFactory(user=learner, ratings={"linear-algebra": 4})
    client.force_login(learner)
    for url in (reverse("assessments:dashboard"), reverse("assessments:audit_history")):
        tables, regions = _tables_in_regions(client.get(url).content.decode())
        assert tables >= 1
        assert regions == tables, url
