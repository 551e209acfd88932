"""Verified email (issue 23, item 2): a link confirms an address; until then no reminder,
verdict or digest goes to it and the dashboard says so, with "Send the link again"; a changed
address is used once it is confirmed; and what existing people had keeps working (item 6)."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.export import learner_export
from cohorts.review import record_review
from curriculum.models import Skill
from notices.send import send_reminders
from tests import factories
from tests.factories import LEARNER_PASSWORD, claim_test, make_cohort, make_lead
from tests.outbox import deliver_queued, sent_mail

pytestmark = pytest.mark.django_db

User = get_user_model()
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
DASHBOARD = reverse("assessments:dashboard")
EMAIL_PAGE = reverse("account_email")


@pytest.fixture(autouse=True)
def _locmem_mail(settings):
    settings.EMAIL_BACKEND = LOCMEM


def confirm_link(message):
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", message.body)[1]


def sign_up(client, username="grace", email="grace@example.org", **extra):
    return client.post(
        reverse("account_signup"),
        {
            "username": username,
            "email": email,
            "password1": LEARNER_PASSWORD,
            "password2": LEARNER_PASSWORD,
            **extra,
        },
    )


def remind(now):
    """`send_reminders` as if run at `now`, then the mail worker."""
    send_reminders(now)
    deliver_queued()


def unverified_learner(**fields):
    return factories.UserFactory(
        **{"username": "ada", "email": "ada@example.org", "email_verified": False, **fields}
    )


# Sign-up, the link, the dashboard


def test_sign_up_mails_a_link_that_confirms_the_address(client):
    response = sign_up(client)

    assert response.status_code == 302
    grace = User.objects.get(username="grace")
    assert not grace.has_verified_email()
    [message] = sent_mail()
    assert message.to == ["grace@example.org"]
    assert message.subject == "Is this your email address?"
    assert '"grace"' in message.body

    page = client.get(confirm_link(message))
    assert page.status_code == 200
    assert "Yes, it is mine" in page.content.decode()
    assert not grace.has_verified_email()  # a GET (a mail scanner's) confirms nothing

    confirmed = client.post(confirm_link(message), follow=True)
    assert "Confirmed: grace@example.org is yours" in confirmed.content.decode()
    assert grace.has_verified_email()


def test_a_forged_link_says_it_does_not_work_and_confirms_nothing(client):
    sign_up(client)
    key = "MQ:1xa2aN:this-signature-was-never-made-by-the-site"

    page = client.get(reverse("account_confirm_email", args=[key]))
    client.post(reverse("account_confirm_email", args=[key]))

    assert "This link does not work any more" in page.content.decode()
    assert not EmailAddress.objects.filter(verified=True).exists()


def test_the_dashboard_asks_an_unverified_learner_to_confirm_and_sends_the_link_again(client):
    ada = unverified_learner()
    client.force_login(ada)

    html = client.get(DASHBOARD).content.decode()

    assert "Confirm your email address" in html
    assert "sends no reminders, verdicts or digests to <strong>ada@example.org</strong>" in html
    assert f'action="{EMAIL_PAGE}"' in html
    assert '<button type="submit" name="action_send">Send the link again</button>' in html

    response = client.post(EMAIL_PAGE, {"email": "ada@example.org", "action_send": ""})
    assert response.status_code == 302
    [message] = sent_mail()
    assert message.to == ["ada@example.org"]
    page = client.get(response.url).content.decode()
    assert "We sent a link to ada@example.org" in page

    client.post(confirm_link(message))
    assert "Confirm your email address" not in client.get(DASHBOARD).content.decode()


def test_the_link_is_sent_again_at_most_once_in_three_minutes(client):
    sign_up(client)

    client.post(EMAIL_PAGE, {"email": "grace@example.org", "action_send": ""})

    assert len(sent_mail()) == 1
    page = client.get(EMAIL_PAGE).content.decode()
    assert "a new link can be sent three minutes after the last" in page


def test_a_verified_learner_is_not_asked(client, learner):
    client.force_login(learner)

    assert "Confirm your email address" not in client.get(DASHBOARD).content.decode()


def test_the_link_cannot_be_sent_for_someone_elses_address(client, learner):
    other = unverified_learner(username="grace", email="grace@example.org")
    client.force_login(learner)

    client.post(EMAIL_PAGE, {"email": "grace@example.org", "action_send": ""})

    assert sent_mail() == []
    assert not other.has_verified_email()


# No mail to an unverified address


def lapsed(user):
    factories.AuditFactory(user=user, days_ago=43)
    return user


def test_no_reminder_goes_to_an_unverified_address(mailoutbox):
    lapsed(unverified_learner())
    verified = lapsed(factories.other_learner(email="grace@example.org"))

    remind(timezone.now())

    assert [m.to for m in mailoutbox] == [[verified.email]]


def test_no_verdict_goes_to_an_unverified_address_until_it_is_confirmed(mailoutbox):
    lead = make_lead(email="lead@example.org")
    ada = unverified_learner()
    make_cohort(lead, members=[ada])
    claim = claim_test(ada, Skill.objects.order_by("pk").first())

    record_review(claim, lead=lead, outcome="verified", comment="Solid.")
    remind(timezone.now())
    assert mailoutbox == []

    EmailAddress.objects.filter(user=ada).update(verified=True)
    claim.refresh_from_db()
    record_review(claim, lead=lead, outcome="needs_work", comment="Show the notebook.")
    remind(timezone.now())
    assert [m.to for m in mailoutbox] == [["ada@example.org"]]


def test_no_digest_goes_to_a_lead_whose_address_is_unverified(mailoutbox):
    lead = make_lead(email="lead@example.org", email_verified=False)
    ada = factories.learner()
    make_cohort(lead, members=[ada])
    claim_test(ada, Skill.objects.order_by("pk").first())
    tomorrow = timezone.now().replace(hour=9, minute=0) + timedelta(days=1)

    remind(tomorrow)

    assert mailoutbox == []


def test_the_recipient_rule_is_one_query_whoever_asks(django_assert_num_queries):
    factories.learner()
    unverified_learner(username="grace", email="grace@example.org")
    factories.UserFactory(username="nomail", email="")

    with django_assert_num_queries(1):
        assert list(User.objects.with_verified_email().values_list("username", flat=True)) == [
            "ada"
        ]


# Changing the address


def test_a_new_address_is_used_only_once_it_is_confirmed(client, learner, mailoutbox):
    client.force_login(learner)
    page = client.get(EMAIL_PAGE).content.decode()
    assert "Mail goes to <strong>ada@example.org</strong>" in page

    response = client.post(EMAIL_PAGE, {"email": "ada@new.example", "action_add": ""})

    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.email == "ada@example.org"
    [link] = sent_mail()
    assert link.to == ["ada@new.example"]
    page = client.get(EMAIL_PAGE).content.decode()
    assert "Changing to ada@new.example" in page
    assert "mail keeps going to ada@example.org" in page

    lapsed(learner)
    remind(timezone.now())
    assert mailoutbox[-1].to == ["ada@example.org"]

    client.post(confirm_link(link))
    learner.refresh_from_db()
    assert learner.email == "ada@new.example"
    assert learner.has_verified_email()
    assert list(EmailAddress.objects.filter(user=learner).values_list("email", flat=True)) == [
        "ada@new.example"
    ]


def test_an_unconfirmed_address_changed_for_another_leaves_the_dashboard_asking_for_the_new_one(
    client,
):
    ada = unverified_learner()  # from before allauth: never confirmed
    client.force_login(ada)
    assert "<strong>ada@example.org</strong>" in client.get(DASHBOARD).content.decode()

    client.post(EMAIL_PAGE, {"email": "ada@new.example", "action_add": ""})

    html = client.get(DASHBOARD).content.decode()
    assert "Confirm your email address" in html
    assert "sends no reminders, verdicts or digests to <strong>ada@new.example</strong>" in html
    assert '<input type="hidden" name="email" value="ada@new.example">' in html
    [link] = sent_mail()
    client.post(confirm_link(link))
    assert "Confirm your email address" not in client.get(DASHBOARD).content.decode()
    ada.refresh_from_db()
    assert ada.email == "ada@new.example"


def test_an_address_another_account_confirmed_cannot_be_taken(client, learner):
    other = factories.other_learner(email="grace@example.org")
    client.force_login(learner)

    client.post(EMAIL_PAGE, {"email": "GRACE@example.org", "action_add": ""})
    links = [m for m in sent_mail() if m.to == ["grace@example.org"]]
    for message in links:
        client.post(confirm_link(message))

    learner.refresh_from_db()
    assert learner.email == "ada@example.org"
    assert EmailAddress.objects.get(email="grace@example.org", verified=True).user == other


def test_a_password_reset_goes_to_the_address_in_use_never_to_one_not_yet_confirmed(
    client, learner
):
    client.force_login(learner)
    client.post(EMAIL_PAGE, {"email": "ada@mistyped.example", "action_add": ""})
    unverified_learner(username="grace", email="grace@example.org")  # from before allauth
    visitor = Client()

    to_new = visitor.post(reverse("account_reset_password"), {"email": "ada@mistyped.example"})
    to_current = visitor.post(reverse("account_reset_password"), {"email": "ada@example.org"})
    to_unconfirmed_in_use = visitor.post(
        reverse("account_reset_password"), {"email": "grace@example.org"}
    )

    assert to_new.status_code == to_current.status_code == to_unconfirmed_in_use.status_code
    assert to_new.url == to_current.url == to_unconfirmed_in_use.url
    resets = [m.to for m in sent_mail() if m.subject == "Reset your Skill Tree password"]
    assert resets == [["ada@example.org"], ["grace@example.org"]]


def test_the_email_page_asks_a_signed_out_visitor_to_log_in(client):
    response = client.get(EMAIL_PAGE)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


# Existing people


def test_the_migration_makes_existing_emails_unverified_primary_addresses(
    transactional_db, django_db_serialized_rollback
):
    executor = MigrationExecutor(connection)
    before = [
        ("accounts", "0008_allauth_addresses"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    OldUser = old.get_model("accounts", "User")
    ada = OldUser.objects.create(username="ada", email="Ada@Example.org", password="x")
    OldUser.objects.create(username="nomail", email="", password="x")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    [address] = EmailAddress.objects.all()
    assert (address.user_id, address.email, address.primary, address.verified) == (
        ada.pk,
        "ada@example.org",
        True,
        False,
    )
    assert not User.objects.get(pk=ada.pk).has_verified_email()


def test_the_export_holds_the_addresses_and_whether_each_is_confirmed(learner):
    EmailAddress.objects.create(user=learner, email="ada@new.example")

    export = learner_export(learner)

    assert export["profile"]["email_addresses"] == [
        {"email": "ada@example.org", "primary": True, "verified": True},
        {"email": "ada@new.example", "primary": False, "verified": False},
    ]


def test_deleting_an_account_deletes_its_addresses_and_login_records_by_email(client, learner):
    Client().post(reverse("account_login"), {"login": "ADA@example.org", "password": "wrong"})
    Client().post(reverse("account_login"), {"login": "ada", "password": "wrong"})
    assert AccessAttempt.objects.count() == 2
    client.force_login(learner)

    response = client.post(reverse("assessments:delete_account"), {"password": LEARNER_PASSWORD})

    assert response.status_code == 302
    assert not User.objects.exists()
    assert not EmailAddress.objects.exists()
    assert not AccessAttempt.objects.exists()
