from collections import Counter

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.admin.utils import NestedObjects
from django.core.exceptions import PermissionDenied
from django.db import router
from django.http import HttpResponse
from django.utils import timezone

import pages
from curriculum import framework, links
from curriculum.models import (
    BaselineQuestion,
    Bucket,
    FailureMode,
    LadderLevel,
    LadderSignal,
    Passage,
    PathPhase,
    RecheckPolicy,
    RequirementLevel,
    Resource,
    Skill,
    Source,
    Track,
    TrackRequirement,
    Trunk,
)

admin.site.site_header = "Skill Tree curation"
admin.site.site_title = "Skill Tree admin"


class CurriculumAdmin(admin.ModelAdmin):
    """A curator's save or delete, of a row, its inlines or a selection, moves the curriculum's
    version on (pages.bump_curriculum): every page shows it on its next request."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        pages.bump_curriculum()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        pages.bump_curriculum()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        pages.bump_curriculum()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        pages.bump_curriculum()


class SeededAdmin(CurriculumAdmin):
    """Shows the seed key a row was loaded under; no form can change it."""

    readonly_fields = ["seed_key"]


class KeyReadByCode(SeededAdmin):
    """For models whose `code_key` field code looks rows up by: set when a row is added,
    read-only after (renaming it would quietly unhook the row from the code)."""

    code_key = None

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return [*fields, self.code_key] if obj is not None else fields

    def get_prepopulated_fields(self, request, obj=None):
        fields = super().get_prepopulated_fields(request, obj)
        return {} if obj is not None else fields


# What learners did with a curriculum row, by the model whose rows point at it.
LEARNER_USES = {
    "assessments.Rating": "rated this {name} {times}",
    "assessments.Progress": "tracked their progress on this {name} {times}",
    "assessments.BaselineAnswer": "answered this {name} {times}",
    "assessments.SignalTick": "ticked this {name} {times}",
    "assessments.Audit": "saved audits against this {name} {times}",
    "accounts.User": "chosen this {name} as their target {times}",
}


def _times(count):
    return "once" if count == 1 else f"{count} times"


def why_not_deleted(obj):
    """The product's words for why `obj` can't be deleted, or "" when nothing protects it:
    "Learners have rated this skill 64 times; retire it instead." One collection per call."""
    collector = NestedObjects(using=router.db_for_write(type(obj)))
    collector.collect([obj])
    found = Counter(row._meta.label for row in collector.protected)
    if not found:
        return ""
    name = obj._meta.verbose_name
    uses = [
        LEARNER_USES[label].format(name=name, times=_times(count))
        for label, count in found.items()
        if label in LEARNER_USES
    ]
    others = [
        f"{count} {apps_label_plural(label, count)} depend on it"
        for label, count in found.items()
        if label not in LEARNER_USES
    ]
    parts = []
    if uses:
        parts.append("Learners have " + " and ".join(uses))
    parts.extend(others)
    advice = "retire it instead" if hasattr(obj, "retired") else "keep it"
    return f"{'; '.join(parts)}; {advice}."


def apps_label_plural(label, count):
    meta = apps.get_model(label)._meta
    return str(meta.verbose_name if count == 1 else meta.verbose_name_plural)


class RetireInsteadOfDelete(CurriculumAdmin):
    """For rows learners may have used: a used row is never deleted (the database protects it);
    the delete page says why in the product's words and offers "Retire it instead". Retired rows
    leave the public pages and new audits and stay in old audits, history and exports."""

    delete_confirmation_template = "admin/curriculum/retire_instead.html"
    actions = ["retire", "restore"]

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if protected:
            # Learners' rows the curator may not delete are the reason, not a missing permission.
            perms_needed = set()
            protected = [
                f"{obj}: {why}" if len(objs) > 1 else why
                for obj in objs
                if (why := why_not_deleted(obj))
            ]
        return deleted, counts, perms_needed, protected

    def _set_retired(self, request, queryset, retired):
        changed = 0
        for row in queryset.filter(retired=not retired):
            row.retired = retired
            row.save(update_fields=["retired"])
            changed += 1
        pages.bump_curriculum()
        verb = "Retired" if retired else "Restored"
        noun = (
            self.model._meta.verbose_name if changed == 1 else self.model._meta.verbose_name_plural
        )
        self.message_user(
            request, f"{verb} {changed} {noun}.", messages.SUCCESS, fail_silently=True
        )

    @admin.action(description="Retire the selected rows (keep them for history, hide them)")
    def retire(self, request, queryset):
        self._set_retired(request, queryset, True)

    @admin.action(description="Restore the selected rows")
    def restore(self, request, queryset):
        self._set_retired(request, queryset, False)


class SkillInline(admin.TabularInline):
    model = Skill
    fields = ["order", "name", "slug", "bucket", "retired"]
    prepopulated_fields = {"slug": ["name"]}
    show_change_link = True
    extra = 0


@admin.register(Trunk)
class TrunkAdmin(SeededAdmin):
    list_display = ["number", "name", "skill_count"]
    list_display_links = ["name"]
    search_fields = ["name", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SkillInline]

    @admin.display(description="skills")
    def skill_count(self, trunk):
        return trunk.skills.count()


class ResourceForm(forms.ModelForm):
    def save(self, commit=True):
        if "url" in self.changed_data:
            links.forget_check(self.instance)
        return super().save(commit)


class SpecificLinkFilter(admin.SimpleListFilter):
    title = "specific link"
    parameter_name = "specific"

    def lookups(self, request, model_admin):
        return [("no", "Not specific (front page or channel)"), ("yes", "Specific")]

    def queryset(self, request, queryset):
        if self.value() not in ("yes", "no"):
            return queryset
        wanted = self.value() == "yes"
        pks = [
            pk for pk, url in queryset.values_list("pk", "url") if links.is_specific(url) == wanted
        ]
        return queryset.filter(pk__in=pks)


@admin.display(description="link")
def link_health(resource):
    if not resource.link_status:
        return "Not checked"
    shown = resource.get_link_status_display()
    if resource.link_status_code:
        shown += f" (HTTP {resource.link_status_code})"
    if resource.link_status == Resource.LinkStatus.MOVED:
        shown += f" → {resource.link_final_url}"
    return shown


@admin.display(description="specific", boolean=True)
def specific(resource):
    return links.is_specific(resource.url)


class ResourceInline(admin.TabularInline):
    model = Resource
    form = ResourceForm
    fields = ["order", "title", "url", "kind", "is_free", "retired", link_health]
    readonly_fields = [link_health]
    extra = 0


@admin.register(Skill)
class SkillAdmin(RetireInsteadOfDelete, SeededAdmin):
    list_display = ["name", "trunk", "bucket", "order", "retired", "mastery_version"]
    list_editable = ["order", "bucket"]
    list_filter = ["retired", "trunk", "bucket"]
    readonly_fields = ["seed_key", "mastery_version"]
    search_fields = ["name", "mastery", "resource_text", "test", "free_resource"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["trunk", "bucket"]
    inlines = [ResourceInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "trunk", "order", "bucket", "retired", "seed_key"]}),
        ("Verification", {"fields": ["recheck_months"]}),
        (
            "What the seed says",
            {
                "fields": ["free_resource", "mastery", "mastery_version", "resource_text", "test"],
                "description": "Changing the mastery text raises its version: learners who "
                "rated the skill against the old text are told the bar changed.",
            },
        ),
    ]


@admin.register(Resource)
class ResourceAdmin(RetireInsteadOfDelete, SeededAdmin):
    # The link check's verdict beside the title: the address is long and goes last.
    list_display = ["title", link_health, specific, "skill", "kind", "is_free", "retired", "url"]
    list_editable = ["retired"]
    list_filter = ["retired", "is_free", "kind", "skill__trunk", "link_status", SpecificLinkFilter]
    form = ResourceForm
    readonly_fields = ["seed_key", *links.LINK_FIELDS]
    search_fields = ["title", "url", "skill__name"]
    list_select_related = ["skill"]
    autocomplete_fields = ["skill"]


@admin.register(Bucket)
class BucketAdmin(SeededAdmin):
    list_display = ["short_name", "name", "order"]
    list_editable = ["order"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["short_name"]}


@admin.register(RequirementLevel)
class RequirementLevelAdmin(SeededAdmin):
    list_display = ["name", "target", "order"]
    list_editable = ["target", "order"]


class TrackRequirementInline(admin.TabularInline):
    model = TrackRequirement
    fields = ["bucket", "label", "level"]
    extra = 0


@admin.register(Track)
class TrackAdmin(RetireInsteadOfDelete, SeededAdmin):
    list_display = ["name", "depth_trunk", "depth_share", "literacy_share", "order", "retired"]
    list_editable = ["order", "depth_share", "literacy_share"]
    list_filter = ["retired", "depth_trunk"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["literacy_trunks"]
    list_select_related = ["depth_trunk"]
    inlines = [TrackRequirementInline]


@admin.register(BaselineQuestion)
class BaselineQuestionAdmin(RetireInsteadOfDelete, SeededAdmin):
    list_display = ["text", "topic", "bucket", "order", "retired"]
    list_editable = ["order"]
    list_filter = ["retired", "bucket"]
    search_fields = ["text", "topic"]


class LadderSignalInline(admin.TabularInline):
    model = LadderSignal
    fields = ["order", "text", "retired"]
    extra = 0


@admin.register(LadderLevel)
class LadderLevelAdmin(SeededAdmin):
    list_display = ["number", "name", "subtitle"]
    list_display_links = ["name"]
    search_fields = ["name", "what_it_is", "description"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [LadderSignalInline]


@admin.register(LadderSignal)
class LadderSignalAdmin(RetireInsteadOfDelete, SeededAdmin):
    list_display = ["text", "level", "order", "retired"]
    list_editable = ["order"]
    list_filter = ["retired", "level"]
    search_fields = ["text"]


@admin.register(PathPhase)
class PathPhaseAdmin(SeededAdmin):
    list_display = ["order", "weeks_label", "name", "start_week", "end_week", "in_depth_trunk"]
    list_display_links = ["name"]
    list_editable = ["start_week", "end_week"]
    search_fields = ["name", "text", "end_state"]
    filter_horizontal = ["trunks"]


@admin.register(FailureMode)
class FailureModeAdmin(KeyReadByCode):
    code_key = "slug"
    list_display = ["order", "name"]
    list_display_links = ["name"]
    search_fields = ["name", "text"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Source)
class SourceAdmin(SeededAdmin):
    list_display = ["number", "title", "url"]
    list_display_links = ["title"]
    search_fields = ["title", "url"]


@admin.register(RecheckPolicy)
class RecheckPolicyAdmin(SeededAdmin):
    """One row for the whole curriculum; each skill may set its own months instead."""

    list_display = ["scope", "months"]
    list_editable = ["months"]


@admin.register(Passage)
class PassageAdmin(KeyReadByCode):
    code_key = "key"
    list_display = ["key", "heading"]
    search_fields = ["key", "heading", "body"]


def download_framework(request):
    """The whole curriculum as a framework file, for staff who may view every part of it."""
    models = [part.model for part in framework.every_part()]
    if not all(request.user.has_perm(f"curriculum.view_{m._meta.model_name}") for m in models):
        raise PermissionDenied
    filename = f"skilltree-framework-{timezone.now():%Y%m%d}.json"
    return HttpResponse(
        framework.dumps(framework.export_framework()),
        content_type="application/json; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
