"""The admin as a curator first meets it (issue 22, item 18): the framework file on the admin's
home, each resource's link check beside its title, and an icon where the browser asks for one."""

import re

import pytest
from django.urls import reverse

from tests.factories import staff_without_permissions

pytestmark = pytest.mark.django_db

DOWNLOAD = "Download framework (JSON)"


def test_a_curator_finds_the_framework_download_on_the_admin_home(client, curator):
    client.force_login(curator)

    html = client.get(reverse("admin:index")).content.decode()

    assert DOWNLOAD in html
    assert reverse("curriculum-framework") in html


def test_staff_who_may_not_read_the_curriculum_are_not_offered_the_download(client):
    client.force_login(staff_without_permissions())

    html = client.get(reverse("admin:index")).content.decode()

    assert DOWNLOAD not in html


def test_the_curriculum_page_of_the_admin_still_offers_it(client, curator):
    client.force_login(curator)

    html = client.get(reverse("admin:app_list", args=["curriculum"])).content.decode()

    assert DOWNLOAD in html


def test_the_resource_list_shows_the_link_check_right_after_the_title(client, curator):
    client.force_login(curator)

    html = client.get(reverse("admin:curriculum_resource_changelist")).content.decode()

    head = html.split("<thead>")[1].split("</thead>")[0]
    columns = re.findall(r'<th scope="col" class="[^"]*column-(\w+)', head)
    assert columns[:3] == ["title", "link_health", "specific"]
    assert columns[-1] == "url"


def test_favicon_ico_answers_with_the_sites_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"".join(response.streaming_content).startswith(b"<svg")
