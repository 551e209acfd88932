"""The queries every signed-in request runs are compiled once per process (accounts/compiled.py):
they must read exactly what Django's own would."""

from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("leads", [False, True], ids=["learner", "lead"])
def test_the_compiled_user_query_reads_every_field_as_the_orm_does(leads):
    from django.contrib.auth import get_user_model

    from cohorts.roles import LeadAwareBackend
    from tests import factories

    user = factories.learner()
    if leads:
        factories.make_cohort(factories.make_lead("lena"))
        user = factories.make_lead("lead-of-two")
        factories.make_cohort(user, name="Autumn cohort")
    user.last_login = timezone.now() - timedelta(hours=3)
    user.save()

    compiled = LeadAwareBackend().get_user(user.pk)
    orm = get_user_model().objects.get(pk=user.pk)

    assert compiled._state.adding is False and compiled._state.db == "default"
    for field in orm._meta.concrete_fields:
        assert getattr(compiled, field.attname) == getattr(orm, field.attname), field.name
    assert compiled.last_login == user.last_login and compiled.last_login.tzinfo is not None
    assert compiled.leads_cohorts is leads
