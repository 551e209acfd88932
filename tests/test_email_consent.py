"""Email only with consent (issue 22, item 3): sign-up asks with nothing ticked, the digest is
offered to leads only, an account that never chose gets no email until it does, the dashboard
asks it once, and each footer names the box the person ticked."""

import re
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from cohorts.review import record_review
from curriculum.models import Skill
from notices.models import Notice
from tests import factories
from tests.factories import claim_test, make_cohort, make_lead, make_user
from tests.outbox import deliver_queued

pytestmark = pytest.mark.django_db

User = get_user_model()
KINDS = ("email_audit_reminders", "email_review_verdicts", "email_review_digest")
EVERY_BOX = dict.fromkeys(KINDS, True)


@pytest.fixture(autouse=True)
def _locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://skills.example.org"


def run():
    """`manage.py send_reminders`, then the mail worker over what it queued: the command's output."""
    out = StringIO()
    call_command("send_reminders", stdout=out, stderr=StringIO())
    deliver_queued()
    return out.getvalue()


def never_chose(username, **fields):
    """An account from before the question was asked: every box on, never chosen."""
    return make_user(username, email=f"{username}@example.org", emails_chosen_at=None, **fields)


def _checkbox(page, name):
    return re.search(rf'<input type="checkbox" name="{name}"[^>]*>', page)


# Sign-up


def test_sign_up_asks_about_the_two_learner_emails_with_nothing_ticked(client):
    page = client.get(reverse("account_signup")).content.decode()
    for name in ("email_audit_reminders", "email_review_verdicts"):
        box = _checkbox(page, name)
        assert box, name
        assert "checked" not in box.group(0)
    assert 'name="email_review_digest"' not in page
    assert "Only for resetting a forgotten password" not in page


def _sign_up(client, **ticked):
    data = {
        "username": "newbie",
        "email": "newbie@example.org",
        "password1": "orchard-lantern-41-quietly",
        "password2": "orchard-lantern-41-quietly",
        **dict.fromkeys(ticked, "on"),
    }
    response = client.post(reverse("account_signup"), data)
    assert response.status_code == 302
    return User.objects.get(username="newbie")


def test_signing_up_with_nothing_ticked_records_a_choice_of_no_email(client):
    user = _sign_up(client)
    assert user.emails_chosen_at is not None
    assert not any(getattr(user, name) for name in KINDS)


def test_signing_up_with_one_box_ticked_turns_on_that_email_only(client):
    user = _sign_up(client, email_review_verdicts=True)
    assert user.email_review_verdicts
    assert not user.email_audit_reminders and not user.email_review_digest


# The profile: the digest for leads only


def test_a_learner_who_leads_no_cohort_never_sees_the_digest_option(client):
    learner = make_user("ada", email="ada@example.org")
    client.force_login(learner)
    page = client.get(reverse("profile")).content.decode()
    assert _checkbox(page, "email_audit_reminders")
    assert 'name="email_review_digest"' not in page


def test_a_learner_cannot_turn_the_digest_on_by_posting_it(client):
    learner = never_chose("ada")
    client.force_login(learner)
    client.post(reverse("profile"), {"email_review_digest": "on", "email_review_verdicts": "on"})
    learner.refresh_from_db()
    assert learner.emails_chosen_at is not None
    assert learner.email_review_verdicts
    assert not learner.email_review_digest


def test_a_lead_sees_the_digest_option_and_chooses_it(client):
    lead = make_lead("lena", email="lena@example.org", email_review_digest=False)
    make_cohort(lead)
    client.force_login(lead)
    page = client.get(reverse("profile")).content.decode()
    assert "checked" not in _checkbox(page, "email_review_digest").group(0)
    client.post(reverse("profile"), {"email_review_digest": "on"})
    lead.refresh_from_db()
    assert lead.email_review_digest


def test_the_profile_of_an_account_that_never_chose_shows_every_box_unticked(client):
    client.force_login(never_chose("ada"))
    page = client.get(reverse("profile")).content.decode()
    for name in ("email_audit_reminders", "email_review_verdicts"):
        assert "checked" not in _checkbox(page, name).group(0)
    assert "You have not chosen your emails yet" in page


# Sending skips accounts that never chose


def test_a_lapsed_learner_who_never_chose_gets_no_reminder(mailoutbox):
    learner = never_chose("ada")
    factories.AuditFactory(user=learner, days_ago=60)
    assert "Queued 0 emails" in run()
    assert mailoutbox == []
    assert not Notice.objects.exists()


def test_no_verdict_email_or_digest_to_accounts_that_never_chose(mailoutbox):
    lead = make_lead("lena", email="lena@example.org", emails_chosen_at=None)
    learner = never_chose("ada")
    make_cohort(lead, members=[learner])
    skills = list(Skill.objects.order_by("pk")[:2])
    claim = claim_test(learner, skills[0])
    claim_test(learner, skills[1])
    record_review(claim, lead=lead, outcome="needs_work", comment="No held-out set.")
    run()
    assert mailoutbox == []


def test_once_they_choose_the_reminder_comes_and_its_footer_names_the_box(client, mailoutbox):
    learner = never_chose("ada")
    factories.AuditFactory(user=learner, days_ago=60)
    client.force_login(learner)
    client.post(reverse("email_choices"), {"email_audit_reminders": "on", "answer": "ticked"})
    run()
    (message,) = mailoutbox
    assert "because you ticked “Remind me to audit again” in your email choices" in (message.body)
    assert "asked to" not in message.body


def test_the_digest_footer_says_they_lead_a_cohort_and_ticked_it(mailoutbox):
    lead = make_lead("lena", email="lena@example.org")
    learner = make_user("ada", email="ada@example.org", email_review_verdicts=False)
    make_cohort(lead, members=[learner])
    claim_test(learner, Skill.objects.order_by("pk").first())
    run()
    (message,) = mailoutbox
    assert "you lead a cohort and ticked “Send me a daily digest" in message.body


def test_each_kind_of_email_names_in_both_parts_the_box_that_brought_it(mailoutbox):
    lead = make_lead("lena", email="lena@example.org")
    learner = make_user("ada", email="ada@example.org")
    make_cohort(lead, members=[learner])
    factories.AuditFactory(user=learner, days_ago=60)
    skills = list(Skill.objects.order_by("pk")[:2])
    claim = claim_test(learner, skills[0])
    claim_test(learner, skills[1])  # still waiting: the lead's digest
    record_review(claim, lead=lead, outcome="verified", comment="")
    run()
    box = {
        "Time to audit again": "you ticked “Remind me to audit again”",
        "Your test for": "you ticked “Tell me when a lead reviews my evidence”",
        "Evidence to review": "you lead a cohort and ticked “Send me a daily digest of evidence "
        "waiting for my review”",
    }
    assert len(mailoutbox) == 3
    for message in mailoutbox:
        (html, _mimetype), *_ = message.alternatives
        [reason] = [why for subject, why in box.items() if message.subject.startswith(subject)]
        for part in (message.body, html):
            assert f"You get this email because {reason} in your email choices" in part
            assert "asked to" not in part


# The dashboard asks once


def test_the_dashboard_asks_an_account_that_never_chose(client):
    client.force_login(never_chose("ada"))
    page = client.get(reverse("assessments:dashboard")).content.decode()
    assert "Which emails do you want?" in page
    for name in ("email_audit_reminders", "email_review_verdicts"):
        assert "checked" not in _checkbox(page, name).group(0)
    assert 'name="email_review_digest"' not in page


def test_no_emails_thanks_records_the_choice_and_the_question_is_not_asked_again(client):
    learner = never_chose("ada")
    client.force_login(learner)
    client.get(reverse("assessments:dashboard"))
    response = client.post(
        reverse("email_choices"),
        {"email_audit_reminders": "on", "answer": "none", "next": "/dashboard/"},
    )
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.emails_chosen_at is not None
    assert not any(getattr(learner, name) for name in KINDS)
    page = client.get(reverse("assessments:dashboard")).content.decode()
    assert "Which emails do you want?" not in page


def test_answering_with_htmx_swaps_the_question_for_what_was_saved(client):
    learner = never_chose("ada")
    client.force_login(learner)
    response = client.post(
        reverse("email_choices"),
        {"email_review_verdicts": "on", "answer": "ticked"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert "Saved: you get only the emails you ticked." in html
    assert "<html" not in html
    learner.refresh_from_db()
    assert learner.email_review_verdicts and not learner.email_audit_reminders
    assert not learner.email_review_digest


def test_an_account_that_chose_is_not_asked_on_the_dashboard(client):
    client.force_login(make_user("ada", email="ada@example.org"))
    page = client.get(reverse("assessments:dashboard")).content.decode()
    assert "Which emails do you want?" not in page


def test_the_email_choices_url_refuses_a_get_and_a_visitor(client):
    assert client.get(reverse("email_choices")).status_code in (302, 405)
    response = client.post(reverse("email_choices"), {"answer": "none"})
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
