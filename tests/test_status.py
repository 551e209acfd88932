"""One rule for the status a learner sees for a skill (assessments.status), and a lead's
"needs work" verdict reaching every page that shows it."""

import pytest
from django.urls import reverse

from assessments.models import Progress
from assessments.sharing import share
from assessments.status import SkillStatus, skill_status
from curriculum.models import Skill
from tests.factories import claim_test, make_cohort, make_lead, make_user

Status, Review = Progress.Status, Progress.Review

# The rule, pure


@pytest.mark.parametrize(
    ("status", "review", "shown"),
    [
        (Status.NOT_STARTED, Review.PENDING, SkillStatus.NOT_STARTED),
        (Status.LEARNING, Review.PENDING, SkillStatus.LEARNING),
        (Status.TEST_PASSED, Review.PENDING, SkillStatus.TEST_PASSED),
        (Status.TEST_PASSED, Review.VERIFIED, SkillStatus.VERIFIED),
        (Status.TEST_PASSED, Review.NEEDS_WORK, SkillStatus.NEEDS_WORK),
        (Status.LEARNING, Review.NEEDS_WORK, SkillStatus.LEARNING),
    ],
)
def test_each_status_and_verdict_shows_one_status(status, review, shown):
    assert skill_status(status, review) == shown


def test_only_passed_and_verified_count_as_a_passed_test():
    assert [s for s in SkillStatus if s.is_passed] == [
        SkillStatus.TEST_PASSED,
        SkillStatus.VERIFIED,
    ]


@pytest.mark.django_db
def test_the_passed_filter_and_the_rule_agree_on_every_row():
    user = make_user("ada")
    skills = list(Skill.objects.order_by("pk")[:5])
    Progress.objects.create(user=user, skill=skills[0], status=Status.LEARNING)
    claim_test(user, skills[1])
    claim_test(user, skills[2], review=Review.VERIFIED)
    claim_test(user, skills[3], review=Review.NEEDS_WORK)
    Progress.objects.create(user=user, skill=skills[4], status=Status.NOT_STARTED)
    rows = list(Progress.objects.filter(user=user))
    by_rule = {p.pk for p in rows if p.shown_status.is_passed}
    assert set(Progress.objects.passed().values_list("pk", flat=True)) == by_rule
    assert set(Progress.objects.needs_work().values_list("pk", flat=True)) == {
        p.pk for p in rows if p.shown_status == SkillStatus.NEEDS_WORK
    }
    assert len(by_rule) == 2


# The verdict, on every page


@pytest.fixture
def sent_back(client, db):
    """Ada passed two tests in her lead's cohort; the lead marks one "needs work" by the form."""
    lead = make_lead("lena", display_name="Lena Lead")
    ada = make_user("ada", display_name="Ada")
    make_cohort(lead, members=[ada])
    skills = list(Skill.objects.select_related("trunk").order_by("trunk__number", "order")[:2])
    claim = claim_test(ada, skills[0], evidence="https://github.com/ada/backprop")
    claim_test(ada, skills[1], evidence="https://github.com/ada/other")
    client.force_login(lead)
    response = client.post(
        reverse("cohorts:cohort_review", args=[claim.pk]),
        {"review": "needs_work", "comment": "No held-out set."},
    )
    assert response.status_code == 302
    client.force_login(ada)
    return {"ada": ada, "lead": lead, "skill": skills[0], "claim": claim, "client": client}


def _node(skill, state):
    return (
        f'href="{skill.get_absolute_url()}" class="tree-node tree-node--skill tree-node--{state}"'
    )


def test_the_tree_draws_needs_work_and_counts_one_test_passed(sent_back):
    html = sent_back["client"].get(reverse("curriculum:tree")).content.decode()
    assert _node(sent_back["skill"], "needs_work") in html
    assert _node(sent_back["skill"], "test_passed") not in html
    assert "<strong>1</strong> test passed" in html
    assert "<strong>1</strong> that a lead says needs work" in html


def test_the_tree_table_says_needs_work_for_the_skill(sent_back):
    html = sent_back["client"].get(reverse("curriculum:tree")).content.decode()
    row = html[html.index(f">{sent_back['skill'].name}</a></th>") :]
    assert row[: row.index("</tr>")].count("Needs work") == 1


def test_the_skill_page_says_needs_work_not_test_passed(sent_back):
    html = sent_back["client"].get(sent_back["skill"].get_absolute_url()).content.decode()
    status = html[html.index("Where you stand:") :]
    status = status[: status.index("</p>")]
    assert "Needs work" in status
    assert "Test passed" not in status
    assert "No held-out set." in html
    assert "Submit it again for review" in html


def test_the_dashboard_counts_it_out_of_tests_passed_and_says_needs_work(sent_back):
    html = sent_back["client"].get(reverse("assessments:dashboard")).content.decode()
    progress = html[html.index('id="your-progress-heading"') :]
    progress = progress[: progress.index("</section>")]
    assert "<strong>1</strong> test passed" in progress
    assert sent_back["skill"].name in progress
    assert "Needs work" in progress
    assert "No held-out set." in progress


def test_the_public_profile_leaves_it_out_of_passed_tests(sent_back):
    profile = share(sent_back["ada"])
    html = sent_back["client"].get(profile.get_absolute_url()).content.decode()
    assert "https://github.com/ada/backprop" not in html
    assert "https://github.com/ada/other" in html


def test_the_leads_heatmap_and_learner_page_say_needs_work(sent_back):
    client = sent_back["client"]
    client.force_login(sent_back["lead"])
    cohort = sent_back["ada"].memberships.get().cohort
    html = client.get(reverse("cohorts:cohort", args=[cohort.pk])).content.decode()
    passed = html[html.index("<dt>Tests passed</dt>") :]
    assert passed.startswith("<dt>Tests passed</dt><dd>1</dd>")
    html = client.get(
        reverse("cohorts:cohort_learner", args=[cohort.pk, sent_back["ada"].pk])
    ).content.decode()
    assert "progress-tag--needs_work" in html


def test_resubmitting_sends_it_back_to_waiting_for_review(sent_back):
    client, skill = sent_back["client"], sent_back["skill"]
    response = client.post(
        reverse("assessments:skill_progress", args=[skill.slug]),
        {
            "status": "test_passed",
            "evidence_url": "https://github.com/ada/backprop",
            "note": "",
            "resubmit": "on",
        },
    )
    assert response.status_code == 302
    claim = Progress.objects.get(pk=sent_back["claim"].pk)
    assert claim.review == Review.PENDING
    assert claim.shown_status == SkillStatus.TEST_PASSED
    assert claim.evidence_url == "https://github.com/ada/backprop"
    html = client.get(reverse("curriculum:tree")).content.decode()
    assert _node(skill, "needs_work") not in html
    assert _node(skill, "test_passed") in html
    assert "<strong>2</strong> tests passed" in html
    assert Progress.objects.awaiting_review().filter(pk=claim.pk).exists()


def test_saving_only_the_note_keeps_the_needs_work_verdict(sent_back):
    client, skill = sent_back["client"], sent_back["skill"]
    client.post(
        reverse("assessments:skill_progress", args=[skill.slug]),
        {"status": "test_passed", "evidence_url": "https://github.com/ada/backprop", "note": "x"},
    )
    assert Progress.objects.get(pk=sent_back["claim"].pk).review == Review.NEEDS_WORK
