"""Email that brings people back (issue 14, part 1): the re-audit reminder, a lead's review
verdict, a lead's daily digest; opt-outs, one-click unsubscribe, and `send_reminders` queueing
each email once for the mail worker (outbox/), which tries again what the mail server refused."""

import re
import smtplib
import time
from datetime import timedelta
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
import yaml
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.warnings import AUDIT_AGE, audit_is_due
from cohorts.review import record_review
from curriculum.models import Skill
from notices.due import queue_due
from notices.mail import unsubscribe_token
from notices.models import Notice
from notices.send import send_reminders
from outbox.models import Mail
from tests import factories
from tests.factories import claim_test, make_cohort, make_lead
from tests.outbox import deliver_queued, deliver_waiting_now

pytestmark = pytest.mark.django_db

SITE = "https://skills.example.org"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE
    settings.EMAIL_BACKEND = LOCMEM


def run():
    """`manage.py send_reminders`, as cron runs it, then the mail worker over what it queued: the
    command's output, or CommandError on failure."""
    out = StringIO()
    call_command("send_reminders", stdout=out, stderr=StringIO())
    deliver_queued()
    return out.getvalue()


def remind(now):
    """`send_reminders` as if run at `now`, then the mail worker."""
    send_reminders(now)
    deliver_queued()


def lapsed(user=None, *, days_ago=43):
    """A learner whose one saved audit is `days_ago` days old (six weeks is 42)."""
    user = user or factories.learner()
    factories.AuditFactory(user=user, days_ago=days_ago)
    return user


def to(outbox, address):
    return [message for message in outbox if message.to == [address]]


def html_of(message):
    (html, mimetype), *_ = message.alternatives
    assert mimetype == "text/html"
    return html


def unsubscribe_link(message):
    return re.fullmatch(r"<(.+)>", message.extra_headers["List-Unsubscribe"]).group(1)


@pytest.fixture
def review_world():
    """A lead, their cohort, and Ada in it with a test claimed (evidence, no review yet)."""
    lead = make_lead(email="lead@example.org", display_name="Lin")
    learner = factories.learner()
    make_cohort(lead, members=[learner])
    claim = claim_test(learner, Skill.objects.order_by("pk").first())
    return {"lead": lead, "learner": learner, "claim": claim}


# The re-audit reminder ---------------------------------------------------------------------


def test_six_weeks_after_the_last_audit_the_learner_is_reminded_once(mailoutbox):
    learner = lapsed(days_ago=43)

    assert "Queued 1 email (1 re-audit reminder) for the mail worker" in run()
    (message,) = mailoutbox
    assert message.to == ["ada@example.org"]
    assert message.subject == "Time to audit again: 6 weeks since your last audit"
    assert f"{SITE}/audit/" in message.body
    assert f'href="{SITE}/audit/"' in html_of(message)

    assert "Queued 0 emails" in run()
    assert len(mailoutbox) == 1
    notice = Notice.objects.get(user=learner)
    assert notice.kind == Notice.Kind.AUDIT_REMINDER and notice.sent_at is not None


def test_the_reminder_comes_exactly_when_the_dashboard_says_the_audit_is_due(mailoutbox):
    now = timezone.now()
    not_yet = factories.AuditFactory(
        user=factories.learner(), saved_at=now - AUDIT_AGE + timedelta(minutes=1)
    )
    due = factories.AuditFactory(
        user=factories.other_learner(), saved_at=now - AUDIT_AGE - timedelta(minutes=1)
    )
    assert not audit_is_due(not_yet, now) and audit_is_due(due, now)

    remind(now)

    assert [m.to for m in mailoutbox] == [[due.user.email]]


def test_a_new_saved_audit_starts_a_new_lapse_and_a_new_reminder(mailoutbox):
    learner = lapsed(days_ago=100)
    run()
    factories.AuditFactory(user=learner, days_ago=50)

    run()
    run()

    assert len(mailoutbox) == 2
    assert Notice.objects.filter(user=learner, sent_at__isnull=False).count() == 2


def test_no_reminder_while_the_latest_audit_is_recent_or_when_only_a_draft_is_old(mailoutbox):
    learner = lapsed(days_ago=100)
    factories.AuditFactory(user=learner, days_ago=3, quick=True)
    other = factories.other_learner()
    factories.AuditFactory(user=other, draft=True, started_at=timezone.now() - timedelta(days=90))

    run()

    assert mailoutbox == []
    assert not Notice.objects.exists()


def test_a_reminder_due_when_queued_is_dropped_if_the_learner_audits_before_it_is_sent(
    mailoutbox,
):
    learner = lapsed(days_ago=50)
    queue_due(timezone.now())
    factories.AuditFactory(user=learner)

    assert "1 no longer due" in run()
    assert mailoutbox == []
    assert not Notice.objects.exists()


def test_a_learner_who_turned_reminders_off_gets_none(mailoutbox):
    lapsed(factories.learner(email_audit_reminders=False))
    lapsed(factories.other_learner(email=""))

    run()

    assert mailoutbox == []
    assert not Notice.objects.exists()


def test_queueing_takes_three_queries_for_one_lapsed_learner_or_twenty(
    django_assert_num_queries,
):
    lapsed()
    with django_assert_num_queries(3):
        queue_due(timezone.now())
    for _ in range(19):
        lapsed(factories.UserFactory())
    with django_assert_num_queries(3):
        queue_due(timezone.now())
    assert Notice.objects.count() == 20


# The review verdict -------------------------------------------------------------------------


def test_a_review_is_queued_by_the_leads_request_and_sent_by_the_next_run(
    client, review_world, mailoutbox
):
    claim, learner = review_world["claim"], review_world["learner"]
    client.force_login(review_world["lead"])

    response = client.post(
        reverse("cohorts:cohort_review", args=[claim.pk]),
        {"review": "needs_work", "comment": "The repo has no tests & no README."},
    )

    assert response.status_code == 302
    assert mailoutbox == [], "nothing is sent inside the lead's request"
    assert Notice.objects.get(user=learner, kind=Notice.Kind.REVIEW_VERDICT).sent_at is None

    run()
    (message,) = mailoutbox
    assert message.to == [learner.email]
    assert message.subject == f"Your test for {claim.skill.name}: needs work"
    assert "Lin reviewed your evidence" in message.body
    assert "The repo has no tests & no README." in message.body
    assert "The repo has no tests &amp; no README." in html_of(message)
    assert f"{SITE}/skills/{claim.skill.slug}/#progress" in message.body

    run()
    assert len(mailoutbox) == 1


def test_a_review_changed_before_the_run_sends_only_the_latest_verdict(review_world, mailoutbox):
    claim, lead = review_world["claim"], review_world["lead"]
    now = timezone.now()
    record_review(claim, lead=lead, outcome="needs_work", comment="", now=now)
    record_review(claim, lead=lead, outcome="verified", comment="Solid.", now=now + timedelta(1))

    assert "1 no longer due" in run()

    (message,) = to(mailoutbox, review_world["learner"].email)
    assert message.subject.endswith(": verified")
    assert "Solid." in message.body


def test_a_learner_who_turned_review_emails_off_is_not_told(review_world, mailoutbox):
    learner = review_world["learner"]
    learner.email_review_verdicts = False
    learner.save()
    review_world["claim"].refresh_from_db()

    record_review(review_world["claim"], lead=review_world["lead"], outcome="verified", comment="")
    run()

    assert to(mailoutbox, learner.email) == []
    assert not Notice.objects.filter(kind=Notice.Kind.REVIEW_VERDICT).exists()


def test_turning_review_emails_off_after_the_review_still_stops_the_email(review_world, mailoutbox):
    learner = review_world["learner"]
    record_review(review_world["claim"], lead=review_world["lead"], outcome="verified", comment="")
    type(learner).objects.filter(pk=learner.pk).update(email_review_verdicts=False)

    run()

    assert to(mailoutbox, learner.email) == []
    assert not Notice.objects.filter(kind=Notice.Kind.REVIEW_VERDICT).exists()


# The lead's digest --------------------------------------------------------------------------


def test_a_lead_gets_one_digest_a_day_while_evidence_waits(review_world, mailoutbox):
    lead, claim = review_world["lead"], review_world["claim"]
    # Tomorrow morning: an hour later is the same day at any time the suite runs (from 23:00 it
    # was the next day, and a second digest was right).
    now = timezone.now().replace(hour=9, minute=0) + timedelta(days=1)

    remind(now)
    remind(now + timedelta(hours=1))

    (digest,) = to(mailoutbox, lead.email)
    assert digest.subject == "Evidence to review: 1 test waits for you"
    assert f"ada: {claim.skill.name}" in digest.body
    assert f"{SITE}/cohorts/reviews/{claim.pk}/" in digest.body
    assert f"{SITE}/cohorts/reviews/" in html_of(digest)

    remind(now + timedelta(days=1))
    assert len(to(mailoutbox, lead.email)) == 2


def test_no_digest_when_nothing_waits_or_when_the_lead_turned_it_off(review_world, mailoutbox):
    lead, claim = review_world["lead"], review_world["claim"]
    record_review(claim, lead=lead, outcome="verified", comment="")
    other_lead = make_lead("quiet", email="quiet@example.org", email_review_digest=False)
    member = factories.other_learner()
    make_cohort(other_lead, name="Quiet cohort", members=[member])
    claim_test(member, claim.skill)

    run()

    assert to(mailoutbox, lead.email) == []
    assert to(mailoutbox, other_lead.email) == []


def test_a_digest_is_dropped_if_everything_was_reviewed_before_the_run(review_world, mailoutbox):
    lead = review_world["lead"]
    queue_due(timezone.now())
    record_review(review_world["claim"], lead=lead, outcome="verified", comment="")

    run()

    assert to(mailoutbox, lead.email) == []
    assert not Notice.objects.filter(kind=Notice.Kind.REVIEW_DIGEST).exists()


def test_a_learner_in_two_of_the_leads_cohorts_is_counted_once(review_world, mailoutbox):
    lead = review_world["lead"]
    make_cohort(lead, name="Autumn cohort", members=[review_world["learner"]])

    run()

    (digest,) = to(mailoutbox, lead.email)
    assert "1 test waits" in digest.body


# Every email: both parts, headers, unsubscribe ----------------------------------------------


def test_every_email_has_text_and_html_and_one_click_unsubscribe_headers(review_world, mailoutbox):
    lapsed(review_world["learner"], days_ago=60)
    record_review(review_world["claim"], lead=review_world["lead"], outcome="verified", comment="")
    waiting = factories.other_learner()
    make_cohort(review_world["lead"], name="Autumn cohort", members=[waiting])
    claim_test(waiting, review_world["claim"].skill)

    run()

    assert {m.subject.split(":")[0] for m in mailoutbox} == {
        "Time to audit again",
        f"Your test for {review_world['claim'].skill.name}",
        "Evidence to review",
    }
    for message in mailoutbox:
        link = unsubscribe_link(message)
        assert link.startswith(f"{SITE}/email/unsubscribe/")
        assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert link in message.body and link in html_of(message)
        assert f"{SITE}/accounts/profile/" in message.body
        assert "<html" in html_of(message) and "<" not in message.body.replace(f"<{SITE}", "")


def test_the_text_part_is_not_html_escaped(review_world, mailoutbox):
    lead = review_world["lead"]
    lead.display_name = "Tom & Jerry"
    lead.save()
    record_review(review_world["claim"], lead=lead, outcome="verified", comment="<b>ok</b>")

    run()

    (message,) = to(mailoutbox, review_world["learner"].email)
    assert "Tom & Jerry reviewed" in message.body and "<b>ok</b>" in message.body
    assert "Tom &amp; Jerry reviewed" in html_of(message)
    assert "&lt;b&gt;ok&lt;/b&gt;" in html_of(message)


def test_the_unsubscribe_link_asks_first_and_works_without_login(mailoutbox):
    learner = lapsed()
    run()
    path = unsubscribe_link(mailoutbox[0]).removeprefix(SITE)

    page = Client().get(path)
    assert page.status_code == 200
    assert "Stop re-audit reminders?" in page.content.decode()
    learner.refresh_from_db()
    assert learner.email_audit_reminders, "opening the link (or a link checker) changes nothing"

    done = Client().post(path)
    assert done.status_code == 200
    assert "Done: no more re-audit reminders" in done.content.decode()
    learner.refresh_from_db()
    assert not learner.email_audit_reminders
    assert learner.email_review_verdicts and learner.email_review_digest


def test_the_one_click_post_works_without_csrf_token_cookie_or_login_and_twice():
    learner = factories.learner()
    path = reverse("notices:unsubscribe", args=[unsubscribe_token(learner, "review_digest")])
    mail_client = Client(enforce_csrf_checks=True)

    for _ in range(2):
        response = mail_client.post(
            path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code == 200
    learner.refresh_from_db()
    assert not learner.email_review_digest
    assert learner.email_audit_reminders and learner.email_review_verdicts


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-2] + ("aa" if not token.endswith("aa") else "bb"),
        lambda token: token.replace(token.split(":")[0], signing.b64_encode(b'[1,"x"]').decode()),
        lambda token: "nonsense",
    ],
    ids=["signature", "payload", "garbage"],
)
def test_a_tampered_unsubscribe_link_is_a_clear_400_and_changes_nothing(tamper):
    learner = factories.learner()
    path = reverse(
        "notices:unsubscribe", args=[tamper(unsubscribe_token(learner, "review_verdict"))]
    )

    for method in (Client().get, Client().post):
        response = method(path)
        assert response.status_code == 400
        assert "This unsubscribe link does not work" in response.content.decode()
    learner.refresh_from_db()
    assert learner.email_audit_reminders and learner.email_review_verdicts


def test_an_unsubscribe_link_older_than_a_year_is_refused():
    learner = factories.learner()
    with mock.patch("django.core.signing.time.time", return_value=time.time() - 400 * 86400):
        token = unsubscribe_token(learner, "audit_reminder")

    response = Client().post(reverse("notices:unsubscribe", args=[token]))

    assert response.status_code == 400
    learner.refresh_from_db()
    assert learner.email_audit_reminders


def test_the_unsubscribe_pages_take_one_query_at_most(django_assert_num_queries):
    learner = factories.learner()
    path = reverse("notices:unsubscribe", args=[unsubscribe_token(learner, "audit_reminder")])
    with django_assert_num_queries(0):
        Client().get(path)
    with django_assert_num_queries(1):
        Client().post(path)


# The profile's three checkboxes -------------------------------------------------------------


def test_the_profile_shows_a_learner_their_two_emails_as_chosen_and_turns_them_off(
    learner_client,
):
    page = learner_client.get(reverse("profile")).content.decode()
    for name in ("email_audit_reminders", "email_review_verdicts"):
        assert re.search(rf'<input type="checkbox" name="{name}"[^>]* checked', page), name
    assert 'name="email_review_digest"' not in page

    response = learner_client.post(
        reverse("profile"), {"display_name": "Ada", "email_review_verdicts": "on"}
    )

    assert response.status_code == 302
    learner = get_user_model().objects.get(username="ada")
    assert learner.email_review_verdicts
    assert not learner.email_audit_reminders


# A failing mail server ----------------------------------------------------------------------


class RefusingBackend(LocmemBackend):
    """A mail server that refuses the addresses in `refused` and takes the rest."""

    refused = set()

    def send_messages(self, messages):
        for message in messages:
            if set(message.to) & self.refused:
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"mailbox unavailable")})
        return super().send_messages(messages)


class DownBackend(LocmemBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError(111, "Connection refused")


def test_a_refused_email_waits_in_the_outbox_the_others_go_and_the_next_try_sends_it(
    settings, mailoutbox, monkeypatch
):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    monkeypatch.setattr(RefusingBackend, "refused", {"ada@example.org"})
    ada = lapsed()
    grace = lapsed(factories.other_learner())

    assert "Queued 2 emails" in run()

    assert [m.to for m in mailoutbox] == [[grace.email]]
    assert not Notice.objects.due().exists(), "both were handed to the outbox"
    waiting = Mail.objects.get()
    assert waiting.to == [ada.email] and waiting.attempts == 1
    assert "550" in waiting.last_error

    RefusingBackend.refused = set()
    deliver_waiting_now()
    assert [m.to for m in mailoutbox] == [[grace.email], [ada.email]]
    assert not Mail.objects.exists()


def test_when_the_mail_server_is_down_everything_waits_and_goes_when_it_is_back(
    settings, mailoutbox
):
    settings.EMAIL_BACKEND = f"{__name__}.DownBackend"
    lapsed()
    lapsed(factories.other_learner())

    assert "Queued 2 emails" in run()
    assert mailoutbox == []
    assert Mail.objects.count() == 2

    settings.EMAIL_BACKEND = LOCMEM
    deliver_waiting_now()
    assert len(mail.outbox) == 2
    assert not Mail.objects.exists()


def test_an_email_that_cannot_be_written_stays_due_and_the_run_exits_1(monkeypatch):
    lapsed()

    def broken(notice, now):
        raise LookupError("no such template")

    monkeypatch.setattr("notices.send.compose", broken)
    with pytest.raises(CommandError, match="1 email"):
        run()
    assert Notice.objects.due().count() == 1
    assert not Mail.objects.exists()


# Scheduling ---------------------------------------------------------------------------------


def test_compose_runs_send_reminders_hourly_on_the_webs_database_once_web_is_healthy():
    compose = yaml.safe_load((Path(__file__).parent.parent / "docker-compose.yml").read_text())
    web, scheduler = compose["services"]["web"], compose["services"]["scheduler"]

    assert scheduler["image"] == web["image"]
    assert scheduler["environment"]["DATABASE_URL"] == web["environment"]["DATABASE_URL"]
    assert scheduler["env_file"] == web["env_file"]
    assert "manage.py send_reminders" in " ".join(scheduler["command"])
    assert "sleep 3600" in " ".join(scheduler["command"])
    assert scheduler["depends_on"]["web"]["condition"] == "service_healthy"
    assert "ports" not in scheduler


def test_the_learners_download_says_which_emails_they_get(learner_client):
    learner = get_user_model().objects.get(username="ada")
    learner.email_review_digest = False
    learner.save()

    data = learner_client.get(reverse("assessments:export_json")).json()

    assert data["profile"]["emails"] == {
        "audit_reminders": True,
        "review_verdicts": True,
        "review_digest": False,
    }


def test_staff_see_and_change_a_persons_emails_in_the_admin(client):
    learner = factories.learner()
    client.force_login(factories.superuser())

    page = client.get(reverse("admin:accounts_user_change", args=[learner.pk])).content.decode()

    for name in ("email_audit_reminders", "email_review_verdicts", "email_review_digest"):
        assert f'name="{name}"' in page
    lapsed(learner)
    queue_due(timezone.now())
    due = client.get(reverse("admin:notices_notice_changelist") + "?sent=no")
    assert due.status_code == 200
    assert "Re-audit reminder" in due.content.decode()
