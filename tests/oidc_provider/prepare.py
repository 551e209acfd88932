"""Set the provider up: `python -m tests.oidc_provider.prepare SETUP_JSON` migrates its database,
registers the site as a confidential client and makes its people.

SETUP_JSON: {"client_id", "secret", "redirect_uri",
"people": [{"username", "password", "email", "email_verified"}]}."""

import json
import os
import sys

import django


def prepare(setup):
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from oauth2_provider.models import Application

    from tests.oidc_provider.claims import UNVERIFIED

    call_command("migrate", verbosity=0)
    Application.objects.create(
        name="Skill Tree",
        client_id=setup["client_id"],
        client_secret=setup["secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=setup["redirect_uri"],
        algorithm=Application.RS256_ALGORITHM,
    )
    unverified = Group.objects.create(name=UNVERIFIED)
    for person in setup["people"]:
        user = User.objects.create_user(
            person["username"], email=person["email"], password=person["password"]
        )
        if not person["email_verified"]:
            user.groups.add(unverified)


if __name__ == "__main__":
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    django.setup()
    prepare(json.loads(sys.argv[1]))
