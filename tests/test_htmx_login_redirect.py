"""An htmx click after the session expired sends the learner to log in, not into a broken fragment."""

import pytest
from django.urls import reverse

from assessments.models import Rating
from curriculum.models import Skill
from tests.factories import AuditFactory

pytestmark = pytest.mark.django_db

HTMX_FROM_AUDIT_PAGE = {
    "HTTP_HX_REQUEST": "true",
    "HTTP_HX_CURRENT_URL": "http://testserver/audit/",
}


@pytest.fixture
def draft():
    return AuditFactory(draft=True)


def test_htmx_click_without_a_session_gets_hx_redirect_to_login_back_to_the_page(client, draft):
    skill = Skill.objects.first()

    response = client.post(
        reverse("assessments:rate", args=[draft.pk]),
        {f"rating-{skill.pk}": "3"},
        **HTMX_FROM_AUDIT_PAGE,
    )

    assert response.status_code == 204
    assert response["HX-Redirect"] == f"{reverse('account_login')}?next=/audit/"
    assert response.content == b""
    assert not Rating.objects.exists()


def test_a_plain_request_without_a_session_is_still_redirected_to_login(client, draft):
    response = client.post(reverse("assessments:rate", args=[draft.pk]), {})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "HX-Redirect" not in response


def test_htmx_redirects_elsewhere_are_left_alone(client, draft):
    client.force_login(draft.user)

    response = client.get(reverse("account_signup"), **HTMX_FROM_AUDIT_PAGE)

    assert response.status_code == 302
    assert response["Location"] == reverse("cohorts:landing")
    assert "HX-Redirect" not in response
