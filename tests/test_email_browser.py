"""The unsubscribe link from a real email, opened in Chromium by someone who is not logged in:
the confirm page, the button, the done page; each accessible (axe)."""

import re

import pytest
from django.core.management import call_command

from accounts.models import User
from tests import factories
from tests.outbox import sent_mail

pytestmark = pytest.mark.browser


def test_the_unsubscribe_link_in_a_reminder_stops_reminders_in_one_click(
    page, live_server, settings, assert_accessible
):
    settings.SITE_URL = live_server.url
    learner = factories.learner()
    factories.AuditFactory(user=learner, days_ago=50)
    call_command("send_reminders")
    (link,) = re.findall(r"Stop these emails: (\S+)", sent_mail()[0].body)

    page.goto(link)
    assert page.get_by_role("heading", level=1).inner_text() == "Stop re-audit reminders?"
    assert_accessible(page)
    page.get_by_role("button", name="Stop re-audit reminders").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Done: no more re-audit reminders"
    assert_accessible(page)
    assert not User.objects.get(pk=learner.pk).email_audit_reminders
