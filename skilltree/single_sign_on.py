"""Single sign-on providers, read from the environment into django-allauth's
SOCIALACCOUNT_PROVIDERS.

- DJANGO_OIDC_PROVIDERS: a JSON list of OpenID Connect issuers, each an object with "id" (lower-case
  letters, digits and hyphens: it is part of the callback address), "name" (shown on the button),
  "issuer" (its URL, where /.well-known/openid-configuration is found), "client_id" and "secret".
- DJANGO_GOOGLE_CLIENT_ID and DJANGO_GOOGLE_SECRET: "Continue with Google" when both are set.
- DJANGO_GITHUB_CLIENT_ID and DJANGO_GITHUB_SECRET: "Continue with GitHub" when both are set.

A mistake in them stops the site at start-up with a message naming the variable.
"""

import json
import re
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

OIDC_VARIABLE = "DJANGO_OIDC_PROVIDERS"
OIDC_KEYS = ("id", "name", "issuer", "client_id", "secret")
PROVIDER_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
KEYED_PROVIDERS = {"google": "DJANGO_GOOGLE", "github": "DJANGO_GITHUB"}
SIGN_IN_PAGES = {"google": "https://accounts.google.com", "github": "https://github.com"}


def refuse(message):
    raise ImproperlyConfigured(f"{OIDC_VARIABLE}: {message}")


def oidc_app(number, entry):
    """One issuer of DJANGO_OIDC_PROVIDERS as an allauth app: every key present and a string,
    no other keys, an id fit for an address, an http(s) issuer."""
    where = f"provider {number}"
    if not isinstance(entry, dict):
        refuse(f"{where} is not an object with {', '.join(OIDC_KEYS)}.")
    missing = [key for key in OIDC_KEYS if not str(entry.get(key) or "").strip()]
    if missing:
        refuse(f"{where} has no {', '.join(missing)}.")
    unknown = sorted(set(entry) - set(OIDC_KEYS))
    if unknown:
        refuse(f"{where} has keys Skill Tree does not read: {', '.join(unknown)}.")
    if not all(isinstance(entry[key], str) for key in OIDC_KEYS):
        refuse(f"{where}: every value is a string.")
    if not PROVIDER_ID.fullmatch(entry["id"]):
        refuse(
            f"{where}: id {entry['id']!r} must be lower-case letters, digits and hyphens "
            "(it is part of the callback address)."
        )
    if not entry["issuer"].startswith(("https://", "http://")):
        refuse(f"{where}: issuer {entry['issuer']!r} is not an http(s) URL.")
    return {
        "provider_id": entry["id"],
        "name": entry["name"].strip(),
        "client_id": entry["client_id"].strip(),
        "secret": entry["secret"],
        # PKCE on every issuer: a code intercepted on its way back is of no use to anyone else.
        "settings": {"server_url": entry["issuer"].strip().rstrip("/"), "oauth_pkce_enabled": True},
    }


def oidc_apps(text):
    if not text.strip():
        return []
    try:
        entries = json.loads(text)
    except ValueError as error:
        refuse(f"is not valid JSON ({error}).")
    if not isinstance(entries, list):
        refuse("must be a JSON list of providers: [{...}, {...}].")
    apps = [oidc_app(number, entry) for number, entry in enumerate(entries, start=1)]
    ids = [app["provider_id"] for app in apps]
    repeated = sorted({provider_id for provider_id in ids if ids.count(provider_id) > 1})
    if repeated:
        refuse(f"id {', '.join(repeated)} is used twice.")
    return apps


def keyed_app(prefix, environ):
    """Google's or GitHub's app when both its client id and secret are set; one without the other
    is a mistake."""
    client_id = environ.get(f"{prefix}_CLIENT_ID", "").strip()
    secret = environ.get(f"{prefix}_SECRET", "").strip()
    if not client_id and not secret:
        return None
    if not client_id or not secret:
        raise ImproperlyConfigured(
            f"{prefix}_CLIENT_ID and {prefix}_SECRET go together: set both, or neither."
        )
    return {"client_id": client_id, "secret": secret}


def providers_from_environment(environ):
    """SOCIALACCOUNT_PROVIDERS for the providers the environment configures (none by default).

    Whether an address the provider gives is verified is the provider's own claim
    (email_verified; GitHub's list of verified addresses), never assumed."""
    providers = {}
    apps = oidc_apps(environ.get(OIDC_VARIABLE, ""))
    if apps:
        providers["openid_connect"] = {"APPS": apps}
    for provider, prefix in KEYED_PROVIDERS.items():
        app = keyed_app(prefix, environ)
        if app:
            providers[provider] = {"APPS": [app]}
    if "google" in providers:
        providers["google"]["SCOPE"] = ["profile", "email"]
    if "github" in providers:
        providers["github"]["SCOPE"] = ["read:user", "user:email"]
    return providers


def sign_in_origins(providers):
    """Where "Continue with" sends the browser: the origin of each issuer and Google's and
    GitHub's sign-in pages. The buttons are forms posted to the site, answered with a redirect
    there, so the Content-Security-Policy's form-action must allow them."""
    origins = []
    for provider, config in providers.items():
        if provider == "openid_connect":
            for app in config["APPS"]:
                address = urlsplit(app["settings"]["server_url"])
                origins.append(f"{address.scheme}://{address.netloc}")
        elif provider in SIGN_IN_PAGES:
            origins.append(SIGN_IN_PAGES[provider])
    return sorted(set(origins))
