import json
import re
import sys

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from curriculum.models import Track, Trunk
from tests.factories import LEARNER_PASSWORD, TrackFactory, UserFactory
from tests.outbox import sent_mail
from tests.processes import environment, production_environment, run

User = get_user_model()

STRONG_PASSWORD = LEARNER_PASSWORD  # the learner fixture signs in with it

pytestmark = pytest.mark.django_db


def _sign_up(client, **overrides):
    data = {
        "username": "grace",
        "email": "grace@example.org",
        "password1": STRONG_PASSWORD,
        "password2": STRONG_PASSWORD,
        **overrides,
    }
    return client.post(reverse("account_signup"), data)


def _logged_in_user(client):
    return client.get(reverse("profile")).wsgi_request.user


# Sign up


def test_sign_up_page_has_labelled_fields(client):
    response = client.get(reverse("account_signup"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Sign up</h1>" in html
    for field in ("username", "email", "password1", "password2"):
        assert f'<label for="id_{field}"' in html


def test_sign_up_creates_the_account_logs_in_and_goes_to_the_quick_audit(client):
    response = _sign_up(client)

    user = User.objects.get(username="grace")
    assert user.email == "grace@example.org"
    assert user.check_password(STRONG_PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("assessments:quick_audit")
    assert _logged_in_user(client) == user


def test_sign_up_follows_a_safe_next_link_and_ignores_another_sites(client):
    response = _sign_up(client, next="/tracks/")
    assert response.url == "/tracks/"

    client.logout()
    response = _sign_up(
        client, username="alan", email="alan@example.org", next="https://evil.example/"
    )
    assert response.status_code == 302
    assert "evil.example" not in response.url


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short1", "This password is too short"),
        ("password123", "This password is too common"),
        ("83749201573648", "This password is entirely numeric"),
    ],
)
def test_sign_up_refuses_a_weak_password_and_creates_nothing(client, password, message):
    response = _sign_up(client, password1=password, password2=password)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()
    assert not _logged_in_user(client).is_authenticated


def test_sign_up_refuses_mismatched_passwords(client):
    response = _sign_up(client, password2=STRONG_PASSWORD + "x")

    assert "You must type the same password each time." in response.content.decode()
    assert not User.objects.exists()


def test_sign_up_refuses_a_taken_username_in_any_case_and_creates_nothing(client, learner):
    response = _sign_up(client, username="ADA", email="someone@example.org")

    assert response.status_code == 200
    assert "A user with that username already exists." in response.content.decode()
    assert list(User.objects.values_list("username", flat=True)) == ["ada"]


def test_sign_up_error_is_shown_beside_its_field(client):
    html = _sign_up(client, email="not-an-email").content.decode()

    error = re.search(r'<ul class="errorlist" id="id_email_error">.*?</ul>', html, re.S)
    assert error and "Enter a valid email address." in error.group(0)
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_email_helptext id_email_error"' in html


# Log in and log out


def test_log_in_with_the_form_and_log_out_with_a_post(client, learner):
    response = client.post(reverse("account_login"), {"login": "ada", "password": STRONG_PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("cohorts:landing")
    assert client.get(response.url).url == reverse("assessments:dashboard")
    assert _logged_in_user(client) == learner

    profile = client.get(reverse("profile")).content.decode()
    assert f'action="{reverse("account_logout")}"' in profile
    assert '<button type="submit" class="link">Log out</button>' in profile

    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert not _logged_in_user(client).is_authenticated


@pytest.mark.parametrize("typed", ["ada", "ADA", "ada@example.org", "Ada@Example.org"])
def test_log_in_by_username_or_email_in_any_case(client, learner, typed):
    response = client.post(reverse("account_login"), {"login": typed, "password": STRONG_PASSWORD})

    assert response.status_code == 302
    assert _logged_in_user(client) == learner


def test_log_in_page_asks_for_a_username_or_email(client):
    html = client.get(reverse("account_login")).content.decode()

    assert '<label for="id_login">Username or email' in html
    assert 'name="remember"' not in html


@pytest.mark.parametrize("typed", ["ada", "ada@example.org", "nobody", "nobody@example.org"])
def test_log_in_with_a_wrong_password_says_so(client, learner, typed):
    response = client.post(reverse("account_login"), {"login": typed, "password": "wrong"})

    assert response.status_code == 200
    assert "That username or email and password do not match an account." in (
        response.content.decode()
    )
    assert not _logged_in_user(client).is_authenticated


def test_an_account_from_before_allauth_logs_in_with_its_password_and_keeps_its_session(
    client, learner
):
    """Passwords were hashed by Django, and sessions name ModelBackend: both still work."""
    client.force_login(learner, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("assessments:dashboard")).status_code == 200
    assert _logged_in_user(client) == learner

    client.logout()
    assert learner.password.startswith(("pbkdf2_sha256$", "md5$"))
    client.post(reverse("account_login"), {"login": "ada", "password": STRONG_PASSWORD})
    assert _logged_in_user(client) == learner


def test_log_in_returns_to_the_page_asked_for(client, learner):
    response = client.post(
        reverse("account_login") + "?next=/accounts/profile/",
        {"login": "ada", "password": STRONG_PASSWORD, "next": "/accounts/profile/"},
    )
    assert response.url == "/accounts/profile/"

    client.logout()
    response = client.post(
        reverse("account_login"),
        {"login": "ada", "password": STRONG_PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert "evil.example" not in response.url


def test_nav_offers_log_in_and_sign_up_when_signed_out(client):
    html = client.get(reverse("account_login")).content.decode()

    assert f'href="{reverse("account_signup")}"' in html
    assert ">Log out<" not in html
    assert ">Profile<" not in html


def test_nav_shows_the_learners_pages_when_signed_in(client, learner):
    client.force_login(learner)

    html = client.get(reverse("profile")).content.decode()

    assert f'<a href="{reverse("assessments:dashboard")}">Dashboard</a>' in html
    assert f'<a href="{reverse("assessments:audit")}">Audit</a>' in html
    assert f'<a href="{reverse("profile")}" aria-current="page">Profile</a>' in html
    assert ">Log in<" not in html
    assert ">Sign up<" not in html


def test_nav_shows_admin_only_to_staff(client, learner, staff_user):
    client.force_login(learner)
    assert ">Admin<" not in client.get(reverse("profile")).content.decode()

    client.force_login(staff_user)
    assert (
        f'href="{reverse("admin:index")}">Admin<' in client.get(reverse("profile")).content.decode()
    )


# Password change and reset


def test_password_change(client, learner):
    client.force_login(learner)
    new_password = "meadow-compass-77-brightly"

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": STRONG_PASSWORD, "password1": new_password, "password2": new_password},
    )

    assert response.status_code == 302
    assert "Your password is changed." in client.get(response.url).content.decode()
    learner.refresh_from_db()
    assert learner.check_password(new_password)
    assert _logged_in_user(client) == learner  # the session survives its own password change


def test_password_change_refuses_a_wrong_old_password(client, learner):
    client.force_login(learner)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "nope", "password1": "x-y-z-123456", "password2": "x-y-z-123456"},
    )

    assert "Please type your current password." in response.content.decode()
    learner.refresh_from_db()
    assert learner.check_password(STRONG_PASSWORD)


def test_password_reset_sends_an_email_whose_link_sets_a_new_password(client, learner):
    response = client.post(reverse("account_reset_password"), {"email": "ADA@example.org"})
    assert response.url == reverse("account_reset_password_done")
    [email] = sent_mail()
    assert email.to == ["ada@example.org"]
    assert email.subject == "Reset your Skill Tree password"

    link = re.search(r"https?://testserver(/accounts/password/reset/key/\S+/)", email.body)[1]
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()

    new_password = "harbour-violet-58-slowly"
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"password1": new_password, "password2": new_password},
    )
    assert response.url == reverse("account_reset_password_from_key_done")
    learner.refresh_from_db()
    assert learner.check_password(new_password)

    used_again = client.get(link, follow=True)
    assert "Reset link not valid" in used_again.content.decode()


def test_password_reset_for_an_unknown_email_sends_nothing_and_reveals_nothing(client, learner):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})

    assert response.url == reverse("account_reset_password_done")
    assert sent_mail() == []


@pytest.mark.slow
def test_password_reset_email_goes_over_smtp_configured_from_the_environment_in_production():
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "print(json.dumps({n: getattr(settings, n) for n in "
        "['EMAIL_BACKEND', 'EMAIL_HOST', 'EMAIL_PORT', 'EMAIL_HOST_USER', "
        "'EMAIL_HOST_PASSWORD', 'EMAIL_USE_TLS', 'EMAIL_TIMEOUT', 'DEFAULT_FROM_EMAIL']}))"
    )
    env = production_environment(
        DJANGO_EMAIL_HOST="smtp.mail.example",
        DJANGO_EMAIL_PORT="2525",
        DJANGO_EMAIL_HOST_USER="mailer",
        DJANGO_EMAIL_HOST_PASSWORD="mail-secret",
        DJANGO_DEFAULT_FROM_EMAIL="Skill Tree <hello@skilltree.example>",
        DJANGO_SETTINGS_MODULE="skilltree.settings",
    )

    production = json.loads(run([sys.executable, "-c", code], env=env).stdout.splitlines()[-1])
    development = json.loads(
        run(
            [sys.executable, "-c", code],
            env=environment(DJANGO_SETTINGS_MODULE="skilltree.settings"),
        ).stdout.splitlines()[-1]
    )

    assert production == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.mail.example",
        "EMAIL_PORT": 2525,
        "EMAIL_HOST_USER": "mailer",
        "EMAIL_HOST_PASSWORD": "mail-secret",
        "EMAIL_USE_TLS": True,
        "EMAIL_TIMEOUT": 10,
        "DEFAULT_FROM_EMAIL": "Skill Tree <hello@skilltree.example>",
    }
    assert development["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


# Profile


def test_profile_needs_a_login(client):
    response = client.get(reverse("profile"))

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={reverse('profile')}"


def test_profile_offers_every_track_and_links_to_the_learners_data(
    client, learner, small_curriculum
):
    TrackFactory(name="Researcher", depth_trunk=small_curriculum.trunks[1])
    client.force_login(learner)

    html = client.get(reverse("profile")).content.decode()

    assert html.count("<option") == 1 + 2
    assert ">Builder</option>" in html and ">Researcher</option>" in html
    assert reverse("assessments:export_json") in html
    assert reverse("assessments:export_ratings_csv") in html
    assert reverse("assessments:delete_account") in html
    assert '<h2 id="data-heading">Your data</h2>' in html


def test_profile_edit_saves_name_track_and_path_start(client, learner):
    client.force_login(learner)
    track = Track.objects.order_by("pk").last()

    response = client.post(
        reverse("profile"),
        {"display_name": "Ada L.", "target_track": track.pk, "path_started_on": "2026-09-07"},
        follow=True,
    )

    assert "Your profile is saved." in response.content.decode()
    learner.refresh_from_db()
    assert learner.display_name == "Ada L."
    assert learner.target_track == track
    assert learner.path_started_on.isoformat() == "2026-09-07"
    assert f'<option value="{track.pk}" selected>' in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"target_track": "999999"}, "Select a valid choice"),
        ({"target_track": "research"}, "Select a valid choice"),
        ({"path_started_on": "2026-13-45"}, "Enter a valid date"),
        ({"display_name": "x" * 101}, "Ensure this value has at most 100 characters"),
    ],
)
def test_profile_refuses_bad_input_and_changes_nothing(client, learner, data, message):
    client.force_login(learner)

    response = client.post(reverse("profile"), {"display_name": "Changed", **data})

    assert response.status_code == 200
    assert message in response.content.decode()
    learner.refresh_from_db()
    assert learner.display_name == ""
    assert learner.target_track is None
    assert learner.path_started_on is None


def test_profile_edits_only_the_signed_in_learner(client, learner):
    other = UserFactory(username="bob")
    client.force_login(learner)

    client.post(reverse("profile"), {"display_name": "Ada", "username": "bob", "id": other.pk})

    other.refresh_from_db()
    learner.refresh_from_db()
    assert other.display_name == ""
    assert learner.display_name == "Ada"
    assert learner.username == "ada"


@pytest.mark.parametrize("extra_tracks", [0, 30])
def test_profile_query_count_is_fixed(client, learner, django_assert_num_queries, extra_tracks):
    TrackFactory.create_batch(extra_tracks, depth_trunk=Trunk.objects.first())
    learner.target_track = Track.objects.last()
    learner.save()
    client.force_login(learner)

    # the session, its user, whether they lead (the nav and the cohorts section), the tracks for
    # the select, whether they share a public profile (issue 13 item 12), the learner's cohorts,
    # their API tokens
    with django_assert_num_queries(7):
        response = client.get(reverse("profile"))
    assert response.content.decode().count("<option") == 1 + Track.objects.count()
