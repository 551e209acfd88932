"""The tables of the lead's learner page, the heatmap and the full audit reach every reader who
may see them as markup: rows and cells are elements, never escaped tags shown as text."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from assessments.models import Audit
from curriculum.models import Skill, Trunk
from tests.factories import (
    learner_with_two_full_audits,
    make_cohort,
    make_lead,
    save_full_audit,
    superuser,
)

pytestmark = pytest.mark.django_db

ESCAPED_TAG = re.compile(r"&lt;/?(td|tr|th|span|small|i|b|a|li|div|table)\b")


class Tables(HTMLParser):
    """Each table of a page, found by its class or its id: the tag names of its rows' cells."""

    def __init__(self):
        super().__init__()
        self.tables = {}
        self.open_tables = []
        self.row = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            names = (attrs.get("class") or "").split() + [attrs.get("id") or ""]
            rows = []
            for name in filter(None, names):
                self.tables[name] = rows
            self.open_tables.append(rows)
        elif tag == "tr" and self.open_tables:
            self.row = []
            self.open_tables[-1].append(self.row)
        elif tag in ("td", "th") and self.row is not None:
            self.row.append((tag, attrs.get("class") or ""))

    def handle_endtag(self, tag):
        if tag == "table" and self.open_tables:
            self.open_tables.pop()
            self.row = None
        elif tag == "tr":
            self.row = None


def tables_of(response):
    assert response.status_code == 200
    html = response.content.decode()
    assert not ESCAPED_TAG.search(html), ESCAPED_TAG.search(html).group(0)
    parser = Tables()
    parser.feed(html)
    return parser.tables


def heat_cells(row):
    return [cls for tag, cls in row if tag == "td" and cls.startswith("lv")]


@pytest.fixture
def cohort_world():
    """A lead (who has saved a full audit of their own) with a cohort of one learner who saved
    two full audits, and the site's superuser with a draft of their own."""
    lead = make_lead("lena", display_name="Lena Lead")
    member = learner_with_two_full_audits(username="mia", display_name="Mia")
    cohort = make_cohort(lead, members=[member])
    save_full_audit(lead, dict.fromkeys(Skill.objects.all()[:3], 3))
    return {"lead": lead, "member": member, "cohort": cohort, "staff": superuser()}


def test_the_leads_learner_page_shows_how_the_audits_moved_as_table_cells(client, cohort_world):
    client.force_login(cohort_world["lead"])
    url = reverse(
        "cohorts:cohort_learner", args=[cohort_world["cohort"].pk, cohort_world["member"].pk]
    )
    tables = tables_of(client.get(url))
    body = tables["history"][1:]
    assert len(body) == Trunk.objects.count()
    assert all(len(heat_cells(row)) == 2 for row in body)  # one cell per saved full audit
    assert heat_cells(body[0]) == ["lv2", "lv4"]  # Foundations' first two skills: 2s, then 4s


def test_nobody_but_the_lead_reads_the_learner_page(client, cohort_world):
    url = reverse(
        "cohorts:cohort_learner", args=[cohort_world["cohort"].pk, cohort_world["member"].pk]
    )
    for role in ("member", "staff"):
        client.force_login(cohort_world[role])
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("view", ["trunks", "skills"])
def test_the_heatmap_shows_a_row_of_cells_per_learner_on_the_page_and_in_its_fragments(
    client, cohort_world, view
):
    client.force_login(cohort_world["lead"])
    url = reverse("cohorts:cohort", args=[cohort_world["cohort"].pk])
    columns = Trunk.objects.count() if view == "trunks" else Skill.objects.count()
    for headers in ({}, {"HX-Request": "true", "HX-Target": "heatmap"}):
        rows = tables_of(client.get(url, {"view": view}, headers=headers))["heatmap__table"]
        learner_rows = [row for row in rows if heat_cells(row)]
        assert len(learner_rows) == 1
        assert len(heat_cells(learner_rows[0])) == columns
        assert learner_rows[0][0] == ("th", "")


def test_the_heatmaps_next_rows_arrive_as_table_rows(client, cohort_world):
    client.force_login(cohort_world["lead"])
    url = reverse("cohorts:cohort", args=[cohort_world["cohort"].pk])
    response = client.get(url, headers={"HX-Request": "true", "HX-Target": "heatmap-more"})
    parser = Tables()
    parser.feed(f"<table class='fragment'>{tables_html(response)}</table>")
    rows = parser.tables["fragment"]
    assert len(rows) == 1
    assert len(heat_cells(rows[0])) == Trunk.objects.count()


def tables_html(response):
    assert response.status_code == 200
    html = response.content.decode()
    assert not ESCAPED_TAG.search(html)
    return html


@pytest.mark.parametrize("role", ["member", "lead", "staff"])
def test_everyone_who_takes_the_full_audit_gets_its_rating_choices_as_markup(
    client, cohort_world, role
):
    client.force_login(cohort_world[role])
    html = tables_html(client.get(reverse("assessments:audit")))
    draft = Audit.objects.drafts().get(user=cohort_world[role])
    rate_url = reverse("assessments:rate", args=[draft.pk])
    assert html.count(f'action="{rate_url}"') >= 1
    assert html.count(f'data-hx-post="{rate_url}"') == Skill.objects.filter(retired=False).count()


@pytest.mark.parametrize("role", ["member", "lead"])
def test_a_saved_full_audits_ratings_are_table_rows(client, cohort_world, role):
    user = cohort_world[role]
    client.force_login(user)
    saved = Audit.objects.saved().filter(user=user, kind=Audit.Kind.FULL).first()
    html = tables_html(client.get(reverse("assessments:audit_ratings", args=[saved.pk])))
    assert html.count("<td") >= saved.ratings.count()
