"""Single sign-on (issue 23, item 3): which providers the environment configures (OpenID Connect
issuers, Google, GitHub), the "Continue with" buttons they put on the log-in and sign-up pages,
and the page where a person sees and removes the providers they connected. Signing in through a
real provider, and which account that reaches, is tests/test_browser_single_sign_on.py."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.socialaccount.models import SocialAccount
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from skilltree.single_sign_on import providers_from_environment, sign_in_origins
from tests import factories

CAMPUS = {
    "id": "campus",
    "name": "Campus login",
    "issuer": "https://login.campus.example/realms/main/",
    "client_id": "skilltree",
    "secret": "campus-secret",
}
WORKPLACE = {
    "id": "workplace",
    "name": "Workplace",
    "issuer": "https://workplace.example",
    "client_id": "st",
    "secret": "workplace-secret",
}
CONNECTIONS = reverse("socialaccount_connections")
User = get_user_model()


def oidc_environment(*providers, **more):
    return {"DJANGO_OIDC_PROVIDERS": json.dumps(list(providers)), **more}


# The environment


def test_with_nothing_set_there_is_no_provider():
    assert providers_from_environment({}) == {}
    assert providers_from_environment({"DJANGO_OIDC_PROVIDERS": "  "}) == {}


def test_several_openid_connect_issuers_each_become_an_app():
    providers = providers_from_environment(oidc_environment(CAMPUS, WORKPLACE))

    assert list(providers) == ["openid_connect"]
    assert providers["openid_connect"]["APPS"] == [
        {
            "provider_id": "campus",
            "name": "Campus login",
            "client_id": "skilltree",
            "secret": "campus-secret",
            "settings": {
                "server_url": "https://login.campus.example/realms/main",
                "oauth_pkce_enabled": True,
            },
        },
        {
            "provider_id": "workplace",
            "name": "Workplace",
            "client_id": "st",
            "secret": "workplace-secret",
            "settings": {"server_url": "https://workplace.example", "oauth_pkce_enabled": True},
        },
    ]


def test_no_app_assumes_the_providers_addresses_verified():
    providers = providers_from_environment(
        oidc_environment(
            CAMPUS,
            DJANGO_GOOGLE_CLIENT_ID="g",
            DJANGO_GOOGLE_SECRET="gs",
            DJANGO_GITHUB_CLIENT_ID="h",
            DJANGO_GITHUB_SECRET="hs",
        )
    )
    for provider in providers.values():
        assert "VERIFIED_EMAIL" not in provider
        for app in provider["APPS"]:
            assert "verified_email" not in app.get("settings", {})


def test_google_and_github_are_there_only_when_their_keys_are_set():
    assert (
        providers_from_environment({"DJANGO_GOOGLE_CLIENT_ID": "", "DJANGO_GITHUB_SECRET": ""})
        == {}
    )

    google = providers_from_environment(
        {"DJANGO_GOOGLE_CLIENT_ID": "google-id", "DJANGO_GOOGLE_SECRET": "google-secret"}
    )
    assert list(google) == ["google"]
    assert google["google"]["APPS"] == [{"client_id": "google-id", "secret": "google-secret"}]

    both = providers_from_environment(
        {
            "DJANGO_GOOGLE_CLIENT_ID": "google-id",
            "DJANGO_GOOGLE_SECRET": "google-secret",
            "DJANGO_GITHUB_CLIENT_ID": "github-id",
            "DJANGO_GITHUB_SECRET": "github-secret",
        }
    )
    assert sorted(both) == ["github", "google"]
    assert "user:email" in both["github"]["SCOPE"]


def test_every_variable_is_in_the_deploy_guides_table_and_in_the_env_example():
    """They are read in skilltree/single_sign_on.py, which test_deploy's check of the settings'
    variables does not read."""
    root = Path(__file__).resolve().parent.parent
    guide = (root / "docs" / "deploy.md").read_text()
    example = (root / ".env.example").read_text()

    for name in (
        "DJANGO_OIDC_PROVIDERS",
        "DJANGO_GOOGLE_CLIENT_ID",
        "DJANGO_GOOGLE_SECRET",
        "DJANGO_GITHUB_CLIENT_ID",
        "DJANGO_GITHUB_SECRET",
    ):
        assert f"| `{name}` |" in guide, name
        assert re.search(rf"^#? ?{name}=", example, re.MULTILINE), name


def test_the_policy_lets_the_buttons_send_people_to_the_configured_providers_only():
    assert sign_in_origins({}) == []
    providers = providers_from_environment(
        oidc_environment(CAMPUS, WORKPLACE, DJANGO_GITHUB_CLIENT_ID="h", DJANGO_GITHUB_SECRET="s")
    )
    assert sign_in_origins(providers) == [
        "https://github.com",
        "https://login.campus.example",
        "https://workplace.example",
    ]


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        (
            {"DJANGO_OIDC_PROVIDERS": "[{'id': 'campus'}]"},
            "DJANGO_OIDC_PROVIDERS: is not valid JSON",
        ),
        ({"DJANGO_OIDC_PROVIDERS": json.dumps(CAMPUS)}, "must be a JSON list"),
        ({"DJANGO_OIDC_PROVIDERS": '["campus"]'}, "provider 1 is not an object"),
        (oidc_environment({**CAMPUS, "secret": ""}), "provider 1 has no secret"),
        (
            oidc_environment(WORKPLACE, {"id": "campus"}),
            "provider 2 has no name, issuer, client_id, secret",
        ),
        (oidc_environment({**CAMPUS, "scope": "openid"}), "keys Skill Tree does not read: scope"),
        (
            oidc_environment({**CAMPUS, "id": "Campus Login"}),
            "lower-case letters, digits and hyphens",
        ),
        (oidc_environment({**CAMPUS, "issuer": "login.campus.example"}), "is not an http(s) URL"),
        (oidc_environment({**CAMPUS, "client_id": 42}), "every value is a string"),
        (oidc_environment(CAMPUS, WORKPLACE, CAMPUS), "id campus is used twice"),
        (
            {"DJANGO_GOOGLE_CLIENT_ID": "google-id"},
            "DJANGO_GOOGLE_CLIENT_ID and DJANGO_GOOGLE_SECRET go together",
        ),
        (
            {"DJANGO_GITHUB_SECRET": "s"},
            "DJANGO_GITHUB_CLIENT_ID and DJANGO_GITHUB_SECRET go together",
        ),
    ],
)
def test_a_mistake_in_the_environment_is_refused_with_what_is_wrong(environment, message):
    with pytest.raises(ImproperlyConfigured) as refused:
        providers_from_environment(environment)
    assert message in str(refused.value)


@pytest.mark.slow
def test_the_site_does_not_start_on_a_providers_list_that_is_not_json():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=django_settings.BASE_DIR,
        env={**os.environ, "DJANGO_OIDC_PROVIDERS": "[{id: campus}]"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "DJANGO_OIDC_PROVIDERS: is not valid JSON" in result.stderr


@pytest.mark.slow
def test_the_site_started_with_providers_offers_them_and_lets_the_buttons_reach_them():
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "--no-imports",
            "-c",
            "from django.conf import settings; print(sorted(settings.SOCIALACCOUNT_PROVIDERS));"
            " print(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'])",
        ],
        cwd=django_settings.BASE_DIR,
        env={
            **os.environ,
            **oidc_environment(CAMPUS, DJANGO_GOOGLE_CLIENT_ID="g", DJANGO_GOOGLE_SECRET="s"),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == [
        "['google', 'openid_connect']",
        "[\"'self'\", 'https://accounts.google.com', 'https://login.campus.example']",
    ]


# The pages


@pytest.fixture
def two_issuers(settings):
    settings.SOCIALACCOUNT_PROVIDERS = providers_from_environment(
        oidc_environment(CAMPUS, WORKPLACE, DJANGO_GITHUB_CLIENT_ID="h", DJANGO_GITHUB_SECRET="hs")
    )


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["account_login", "account_signup"])
def test_the_entrance_pages_offer_each_configured_provider(client, two_issuers, page):
    html = client.get(reverse(page)).content.decode()

    for name in ("Campus login", "Workplace", "GitHub"):
        assert f"Continue with {name}</button>" in html
    assert 'action="/accounts/oidc/campus/login/?process=login"' in html
    assert 'action="/accounts/github/login/?process=login"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["account_login", "account_signup"])
def test_without_providers_the_entrance_pages_offer_none(client, settings, page):
    settings.SOCIALACCOUNT_PROVIDERS = {}

    html = client.get(reverse(page)).content.decode()

    assert "Continue with" not in html
    assert "sso-heading" not in html


@pytest.mark.django_db
def test_continuing_with_github_sends_the_person_to_github(client, two_issuers):
    response = client.post(reverse("github_login"), {"process": "login"})

    assert response.status_code == 302
    assert response["Location"].startswith("https://github.com/login/oauth/authorize?client_id=h&")


@pytest.mark.django_db
def test_an_issuer_the_environment_does_not_name_is_not_found(client, two_issuers):
    assert client.get("/accounts/oidc/elsewhere/login/").status_code == 404
    assert client.get("/accounts/oidc/campus/login/").status_code == 200


@pytest.mark.django_db
def test_the_profile_links_to_the_providers_only_where_there_are_some(client, settings):
    client.force_login(factories.learner())
    settings.SOCIALACCOUNT_PROVIDERS = {}
    assert CONNECTIONS not in client.get(reverse("profile")).content.decode()

    settings.SOCIALACCOUNT_PROVIDERS = providers_from_environment(oidc_environment(CAMPUS))
    assert CONNECTIONS in client.get(reverse("profile")).content.decode()


# The providers a person connected


def connect(user, provider="campus", uid="1"):
    return SocialAccount.objects.create(
        user=user, provider=provider, uid=uid, extra_data={"userinfo": {"email": user.email}}
    )


@pytest.mark.django_db
@pytest.mark.parametrize("connected", [1, 2])
def test_the_connections_page_lists_each_provider_at_a_fixed_query_count(
    client, two_issuers, django_assert_num_queries, connected
):
    ada = factories.learner()
    connect(ada, "campus")
    if connected == 2:
        connect(ada, "workplace")
    client.force_login(ada)

    # the session, its user, whether they lead (the nav), their connected accounts; the
    # providers come from the settings, not the database
    with django_assert_num_queries(4):
        html = client.get(CONNECTIONS).content.decode()

    assert html.count(">Remove</button>") == connected
    assert "<strong>Campus login</strong> as ada@example.org" in html
    assert "Connect GitHub</button>" in html


@pytest.mark.django_db
def test_a_person_with_a_password_removes_a_provider(client, two_issuers):
    ada = factories.learner()
    account = connect(ada)
    client.force_login(ada)

    response = client.post(CONNECTIONS, {"account": account.pk})

    assert response.status_code == 302
    assert not SocialAccount.objects.filter(user=ada).exists()


@pytest.mark.django_db
def test_the_only_way_in_is_not_removed(client, two_issuers):
    only_sso = factories.make_user("sam", email="sam@example.org", email_verified=False)
    account = connect(only_sso)
    client.force_login(only_sso)

    response = client.post(CONNECTIONS, {"account": account.pk})

    assert response.status_code == 200
    assert "That one stays connected" in response.content.decode()
    assert reverse("account_set_password") in response.content.decode()
    assert SocialAccount.objects.filter(pk=account.pk).exists()


@pytest.mark.django_db
def test_nobody_removes_another_persons_provider(client, two_issuers):
    grace_account = connect(factories.other_learner(email="grace@example.org"))
    client.force_login(factories.learner())

    response = client.post(CONNECTIONS, {"account": grace_account.pk})

    assert response.status_code == 200
    assert SocialAccount.objects.filter(pk=grace_account.pk).exists()


# Deleting an account that has no password


@pytest.mark.django_db
def test_someone_without_a_password_confirms_it_is_them_before_deleting(client, two_issuers):
    sam = factories.make_user("sam", email="sam@example.org")
    connect(sam)
    client.force_login(sam)

    response = client.get(reverse("assessments:delete_account"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_request_reauthentication_code"))
    assert client.post(reverse("assessments:delete_account"), {"confirm": "on"}).status_code == 302
    assert User.objects.filter(username="sam").exists()


@pytest.mark.django_db
def test_someone_with_a_password_still_types_it_to_delete(client):
    client.force_login(factories.learner())

    html = client.get(reverse("assessments:delete_account")).content.decode()

    assert 'name="password"' in html
    assert 'name="confirm"' not in html


@pytest.mark.django_db
def test_someone_with_neither_a_password_nor_a_confirmed_address_sets_a_password_first(client):
    sam = factories.make_user("sam", email="sam@example.org", email_verified=False)
    client.force_login(sam)

    page = client.get(reverse("assessments:delete_account")).content.decode()
    response = client.post(reverse("assessments:delete_account"), {"confirm": "on"})

    assert reverse("account_set_password") in page
    assert response.status_code == 200
    assert "set a password first" in response.content.decode()
    assert User.objects.filter(username="sam").exists()
