"""Staff curate everything in the admin; nobody else gets in."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from curriculum.models import FailureMode, Passage, Resource, Skill

pytestmark = pytest.mark.django_db

REGISTERED = [model for model in apps.get_models() if admin.site.is_registered(model)]
CURRICULUM_MODELS = [model for model in REGISTERED if model._meta.app_label == "curriculum"]


def _admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_curriculum_model_is_registered():
    names = {model.__name__ for model in CURRICULUM_MODELS}
    assert names >= {
        "Trunk",
        "Skill",
        "Resource",
        "Bucket",
        "RequirementLevel",
        "Track",
        "BaselineQuestion",
        "LadderLevel",
        "LadderSignal",
        "PathPhase",
        "FailureMode",
        "Source",
        "Passage",
    }


@pytest.mark.parametrize("model", CURRICULUM_MODELS, ids=lambda m: m.__name__)
def test_staff_open_every_changelist_add_and_change_form(client, staff_user, model):
    client.force_login(staff_user)
    assert client.get(_admin_url(model, "changelist")).status_code == 200
    assert client.get(_admin_url(model, "changelist"), {"q": "a"}).status_code == 200
    assert client.get(_admin_url(model, "add")).status_code == 200
    obj = model.objects.first()
    assert client.get(_admin_url(model, "change", obj.pk)).status_code == 200


def test_a_curator_edits_the_curriculum_but_not_the_accounts(client, curator):
    client.force_login(curator)
    skill = Skill.objects.first()
    assert client.get(_admin_url(Skill, "change", skill.pk)).status_code == 200
    assert client.get(_admin_url(curator.__class__, "changelist")).status_code == 403
    assert "Users" not in client.get(reverse("admin:index")).content.decode()


@pytest.mark.parametrize("model", CURRICULUM_MODELS, ids=lambda m: m.__name__)
def test_non_staff_are_sent_to_log_in(client, learner, model):
    client.force_login(learner)
    response = client.get(_admin_url(model, "changelist"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(_admin_url(Skill, "changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response.url


def test_trunk_form_shows_its_skills_inline(client, staff_user):
    client.force_login(staff_user)
    skill = Skill.objects.get(slug="linear-algebra")
    page = client.get(_admin_url(skill.trunk.__class__, "change", skill.trunk.pk)).content.decode()
    assert "Linear algebra" in page
    assert 'name="skills-0-order"' in page


def test_staff_retire_a_resource_from_the_list(client, staff_user):
    client.force_login(staff_user)
    resource = Resource.objects.get(skill__slug="causal-thinking")
    response = client.post(
        _admin_url(Resource, "changelist"),
        {"action": "retire", "_selected_action": [resource.pk]},
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.retired
    page = client.get(resource.skill.get_absolute_url()).content.decode()
    assert resource.url not in page


def test_staff_reorder_skills_by_list_editing(client, staff_user):
    client.force_login(staff_user)
    skills = list(Skill.objects.filter(trunk__number=1).order_by("pk")[:2])
    url = _admin_url(Skill, "changelist") + "?trunk__id__exact=" + str(skills[0].trunk_id)
    page = client.get(url)
    formset = page.context["cl"].formset
    data = {
        "form-TOTAL_FORMS": str(formset.total_form_count()),
        "form-INITIAL_FORMS": str(formset.initial_form_count()),
        "_save": "Save",
    }
    for i, form in enumerate(formset.forms):
        data[f"form-{i}-id"] = str(form.instance.pk)
        data[f"form-{i}-order"] = str(form.instance.order)
        data[f"form-{i}-bucket"] = str(form.instance.bucket_id)
    target = next(i for i, f in enumerate(formset.forms) if f.instance.pk == skills[0].pk)
    data[f"form-{target}-order"] = "99"
    response = client.post(url, data)
    assert response.status_code == 302
    skills[0].refresh_from_db()
    assert skills[0].order == 99


SEEDED_MODELS = [model for model in CURRICULUM_MODELS if hasattr(model, "seed_key")]


@pytest.mark.parametrize("model", SEEDED_MODELS, ids=lambda m: m.__name__)
def test_the_seed_key_shows_but_no_form_can_change_it(client, staff_user, model):
    client.force_login(staff_user)
    row = model.objects.exclude(seed_key=None).first()
    page = client.get(_admin_url(model, "change", row.pk)).content.decode()
    assert f'<div class="readonly">{row.seed_key}</div>' in page
    assert 'name="seed_key"' not in page
    assert 'name="seed_key"' not in client.get(_admin_url(model, "add")).content.decode()


def test_a_passages_key_is_read_only_once_made_because_pages_read_it(client, staff_user):
    client.force_login(staff_user)
    passage = Passage.objects.get(key="baseline-point")
    response = client.post(
        _admin_url(Passage, "change", passage.pk),
        {"key": "renamed", "seed_key": "renamed", "heading": "Remember", "body": passage.body},
    )
    assert response.status_code == 302
    passage.refresh_from_db()
    assert (passage.key, passage.seed_key, passage.heading) == (
        "baseline-point",
        "baseline-point",
        "Remember",
    )


def test_a_curator_adds_a_passage_with_a_key_and_no_seed_key(client, staff_user):
    client.force_login(staff_user)
    response = client.post(
        _admin_url(Passage, "add"), {"key": "welcome", "heading": "", "body": "Hello."}
    )
    assert response.status_code == 302
    assert Passage.objects.get(key="welcome").seed_key is None


def test_a_failure_modes_slug_is_read_only_once_made_because_warnings_read_it(client, staff_user):
    client.force_login(staff_user)
    mode = FailureMode.objects.get(slug="tutorial-loop")
    page = client.get(_admin_url(FailureMode, "change", mode.pk)).content.decode()
    assert 'name="slug"' not in page
    response = client.post(
        _admin_url(FailureMode, "change", mode.pk),
        {"order": mode.order, "name": "The tutorial loop", "slug": "loop", "text": mode.text},
    )
    assert response.status_code == 302
    mode.refresh_from_db()
    assert (mode.slug, mode.name) == ("tutorial-loop", "The tutorial loop")
    assert 'name="slug"' in client.get(_admin_url(FailureMode, "add")).content.decode()


@pytest.fixture
def every_kind_of_row(staff_user, learner):
    """One row of each model the admin registers beyond the curriculum, so each form opens."""
    from django.contrib.auth.models import Group

    from cohorts.models import Cohort, Membership

    cohort = Cohort.objects.create(name="Autumn")
    cohort.leads.add(staff_user)
    Membership.objects.create(cohort=cohort, user=learner)
    Group.objects.get_or_create(name="Cohort leads")


OTHER_MODELS = [model for model in REGISTERED if model._meta.app_label != "curriculum"]


@pytest.mark.parametrize("model", OTHER_MODELS, ids=lambda m: m._meta.label)
def test_staff_open_every_other_changelist_and_change_form(
    client, staff_user, every_kind_of_row, model
):
    client.force_login(staff_user)
    assert client.get(_admin_url(model, "changelist")).status_code == 200
    obj = model.objects.first()
    if obj is not None:
        assert client.get(_admin_url(model, "change", obj.pk)).status_code == 200
    model_admin = admin.site.get_model_admin(model)
    request = client.get(_admin_url(model, "changelist")).wsgi_request
    if model_admin.has_add_permission(request):
        assert client.get(_admin_url(model, "add")).status_code == 200


def test_skill_list_filters_by_trunk_and_bucket(client, staff_user):
    client.force_login(staff_user)
    skill = Skill.objects.get(slug="causal-thinking")
    response = client.get(
        _admin_url(Skill, "changelist"),
        {"trunk__id__exact": skill.trunk_id, "bucket__id__exact": skill.bucket_id},
    )
    assert response.status_code == 200
    shown = {s.slug for s in response.context["cl"].result_list}
    assert "causal-thinking" in shown
    assert "linear-algebra" not in shown
