"""Double clicks and two tabs cannot duplicate rows or store a rating outside 1–5: the database
itself refuses, whatever a form or view lets through."""

import pytest
from django.db import IntegrityError, transaction

from assessments.models import Audit, BaselineAnswer, Progress, Rating
from cohorts.models import Cohort, Membership
from tests.factories import (
    AuditFactory,
    BaselineAnswerFactory,
    BaselineQuestionFactory,
    LadderSignalFactory,
    ProgressFactory,
    RatingFactory,
    SignalTickFactory,
    SkillFactory,
)

pytestmark = pytest.mark.django_db


def _refused(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_one_rating_per_skill_per_audit(learner):
    audit = AuditFactory(user=learner, draft=True)
    skill = SkillFactory()
    RatingFactory(audit=audit, skill=skill, value=3)
    _refused(lambda: RatingFactory(audit=audit, skill=skill, value=4))
    assert Rating.objects.filter(audit=audit).count() == 1


@pytest.mark.parametrize("value", [0, 6])
def test_ratings_and_answers_stay_between_1_and_5(learner, value):
    audit = AuditFactory(user=learner, draft=True)
    _refused(lambda: RatingFactory(audit=audit, value=value))
    _refused(lambda: BaselineAnswerFactory(audit=audit, value=value))
    assert not Rating.objects.exists() and not BaselineAnswer.objects.exists()


def test_one_answer_per_question_per_audit(learner):
    audit = AuditFactory(user=learner, quick=True, draft=True)
    question = BaselineQuestionFactory()
    BaselineAnswerFactory(audit=audit, question=question, value=2)
    _refused(lambda: BaselineAnswerFactory(audit=audit, question=question, value=3))


def test_one_draft_per_kind_but_any_number_of_saved_audits(learner):
    AuditFactory.create_batch(2, user=learner)
    AuditFactory(user=learner, draft=True)
    _refused(lambda: AuditFactory(user=learner, draft=True))
    AuditFactory(user=learner, quick=True, draft=True)
    assert Audit.objects.drafts().filter(user=learner).count() == 2


def test_one_progress_row_per_skill(learner):
    skill = SkillFactory()
    ProgressFactory(user=learner, skill=skill, status=Progress.Status.NOT_STARTED)
    _refused(lambda: ProgressFactory(user=learner, skill=skill))


def test_one_tick_per_ladder_signal(learner):
    signal = LadderSignalFactory()
    SignalTickFactory(user=learner, signal=signal)
    _refused(lambda: SignalTickFactory(user=learner, signal=signal))


def test_one_membership_per_cohort(learner):
    cohort = Cohort.objects.create(name="Autumn")
    Membership.objects.create(cohort=cohort, user=learner)
    _refused(lambda: Membership.objects.create(cohort=cohort, user=learner))
