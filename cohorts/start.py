"""Starting a cohort: once per form, however many times the form is sent."""

from django.db import IntegrityError, transaction

from cohorts.models import Cohort
from pages import bump_cohort


def start_cohort(form, lead):
    """The cohort the lead's `NewCohortForm` starts, and whether this call made it.

    The form's token is unique on Cohort, so the same form sent twice, even at the same moment
    from two servers, makes one row: the second send gets the first's cohort back (created is
    False). A token already used for someone else's cohort gives (None, False). Two queries to
    start one (three with the lead added), one to find it again.
    """
    token = form.cleaned_data["form_token"]
    try:
        with transaction.atomic():
            cohort = form.save(commit=False)
            cohort.form_token = token
            cohort.save()
            cohort.leads.add(lead)
            bump_cohort(cohort.pk)
    except IntegrityError:
        return Cohort.objects.filter(form_token=token, leads=lead).first(), False
    return cohort, True


def save_cohort(form):
    """Save a lead's edit of their cohort (name, dates, description); its pages move on."""
    cohort = form.save()
    bump_cohort(cohort.pk)
    return cohort
