"""Double clicks and two tabs cannot duplicate rows or store a rating outside 1–5: the database
itself refuses, whatever a form or view lets through."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments.models import Audit, BaselineAnswer, Progress, Rating, SignalTick
from cohorts.models import Cohort, Membership
from curriculum.models import BaselineQuestion, LadderSignal, Skill

pytestmark = pytest.mark.django_db


def _refused(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_one_rating_per_skill_per_audit(learner):
    audit = Audit.objects.create(user=learner)
    skill = Skill.objects.first()
    Rating.objects.create(audit=audit, skill=skill, value=3)
    _refused(lambda: Rating.objects.create(audit=audit, skill=skill, value=4))
    assert Rating.objects.filter(audit=audit).count() == 1


@pytest.mark.parametrize("value", [0, 6])
def test_ratings_and_answers_stay_between_1_and_5(learner, value):
    audit = Audit.objects.create(user=learner)
    _refused(lambda: Rating.objects.create(audit=audit, skill=Skill.objects.first(), value=value))
    _refused(
        lambda: BaselineAnswer.objects.create(
            audit=audit, question=BaselineQuestion.objects.first(), value=value
        )
    )
    assert not Rating.objects.exists() and not BaselineAnswer.objects.exists()


def test_one_answer_per_question_per_audit(learner):
    audit = Audit.objects.create(user=learner, kind=Audit.Kind.QUICK)
    question = BaselineQuestion.objects.first()
    BaselineAnswer.objects.create(audit=audit, question=question, value=2)
    _refused(lambda: BaselineAnswer.objects.create(audit=audit, question=question, value=3))


def test_one_draft_per_kind_but_any_number_of_saved_audits(learner):
    Audit.objects.create(user=learner, saved_at=timezone.now())
    Audit.objects.create(user=learner, saved_at=timezone.now())
    Audit.objects.create(user=learner)
    _refused(lambda: Audit.objects.create(user=learner))
    Audit.objects.create(user=learner, kind=Audit.Kind.QUICK)
    assert Audit.objects.drafts().filter(user=learner).count() == 2


def test_one_progress_row_per_skill(learner):
    skill = Skill.objects.first()
    Progress.objects.create(user=learner, skill=skill)
    _refused(lambda: Progress.objects.create(user=learner, skill=skill, status="learning"))


def test_one_tick_per_ladder_signal(learner):
    signal = LadderSignal.objects.first()
    SignalTick.objects.create(user=learner, signal=signal)
    _refused(lambda: SignalTick.objects.create(user=learner, signal=signal))


def test_one_membership_per_cohort(learner):
    cohort = Cohort.objects.create(name="Autumn")
    Membership.objects.create(cohort=cohort, user=learner)
    _refused(lambda: Membership.objects.create(cohort=cohort, user=learner))
