"""manage.py seed_demo: a populated demo cohort in development, never by accident in production."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from assessments.calibration import calibration_for
from assessments.models import Audit, Progress
from assessments.standing import standing_for
from cohorts.heatmap import cohort_grid
from cohorts.models import Cohort
from cohorts.over_time import cohort_over_time

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_seed_demo_refuses_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        run()
    assert not get_user_model().objects.exists()
    assert not Cohort.objects.exists()


def test_seed_demo_makes_a_lead_and_a_populated_cohort(settings):
    settings.DEBUG = True
    output = run()
    assert "demo-lead / demo-lead-password" in output
    lead = get_user_model().objects.get(username="demo-lead")
    assert lead.check_password("demo-lead-password")
    assert lead.has_perm("cohorts.lead_cohorts")
    cohort = lead.led_cohorts.get()
    assert cohort.members.count() == 30
    assert Audit.objects.saved().filter(user__cohorts=cohort).count() >= 2 * 27
    grid = cohort_grid(cohort)
    assert 0 < grid.counts["audited_recently"] < 30
    assert grid.counts["tests_passed"] > 0
    assert grid.counts["evidence_waiting"] > 0
    assert Progress.objects.exclude(review="").exists()
    hype = [row.learner.username for row in grid.rows if row.hype]
    assert "demo-bilal" in hype
    calibration = calibration_for(get_user_model().objects.get(username="demo-ada"))
    assert calibration.audits[0].over == 2 and calibration.audits[0].under == 1
    assert (calibration.latest.over, calibration.latest.under) == (0, 0)
    chen = get_user_model().objects.get(username="demo-chen")
    assert [r.skill.slug for r in standing_for(chen).rechecks] == ["python-and-scientific-stack"]
    over_time = cohort_over_time(cohort)
    assert len(over_time.weeks) == 15 and over_time.has_means
    assert {f.slug: f.members for f in over_time.failures}["hype-substitution"] >= 1


def test_seed_demo_twice_changes_nothing(settings):
    settings.DEBUG = True
    run()
    counts = (get_user_model().objects.count(), Audit.objects.count(), Progress.objects.count())
    assert "already exists" in run()
    assert counts == (
        get_user_model().objects.count(),
        Audit.objects.count(),
        Progress.objects.count(),
    )


def test_seed_demo_runs_with_debug_off_when_forced(settings):
    settings.DEBUG = False
    run("--force")
    assert Cohort.objects.filter(leads__username="demo-lead").exists()
