from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone

from curriculum import cache, framework, links
from curriculum.models import (
    BaselineQuestion,
    Bucket,
    FailureMode,
    LadderLevel,
    LadderSignal,
    Passage,
    PathPhase,
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


class SeededAdmin(admin.ModelAdmin):
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


class SkillInline(admin.TabularInline):
    model = Skill
    fields = ["order", "name", "slug", "bucket"]
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
class SkillAdmin(SeededAdmin):
    list_display = ["name", "trunk", "bucket", "order"]
    list_editable = ["order", "bucket"]
    list_filter = ["trunk", "bucket"]
    search_fields = ["name", "mastery", "resource_text", "test", "free_resource"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["trunk", "bucket"]
    inlines = [ResourceInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "trunk", "order", "bucket", "seed_key"]}),
        ("What the seed says", {"fields": ["free_resource", "mastery", "resource_text", "test"]}),
    ]


@admin.register(Resource)
class ResourceAdmin(SeededAdmin):
    list_display = ["title", "skill", "kind", "is_free", "retired", "url", link_health, specific]
    list_editable = ["retired"]
    list_filter = ["retired", "is_free", "kind", "skill__trunk", "link_status", SpecificLinkFilter]
    form = ResourceForm
    readonly_fields = ["seed_key", *links.LINK_FIELDS]
    search_fields = ["title", "url", "skill__name"]
    list_select_related = ["skill"]
    autocomplete_fields = ["skill"]
    actions = ["retire", "restore"]

    @admin.action(description="Retire the selected resources (keep them, hide them)")
    def retire(self, request, queryset):
        queryset.update(retired=True)
        cache.bump()

    @admin.action(description="Restore the selected resources")
    def restore(self, request, queryset):
        queryset.update(retired=False)
        cache.bump()


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
class TrackAdmin(SeededAdmin):
    list_display = ["name", "depth_trunk", "order"]
    list_editable = ["order"]
    list_filter = ["depth_trunk"]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["literacy_trunks"]
    list_select_related = ["depth_trunk"]
    inlines = [TrackRequirementInline]


@admin.register(BaselineQuestion)
class BaselineQuestionAdmin(SeededAdmin):
    list_display = ["text", "topic", "bucket", "order"]
    list_editable = ["order"]
    list_filter = ["bucket"]
    search_fields = ["text", "topic"]


class LadderSignalInline(admin.TabularInline):
    model = LadderSignal
    fields = ["order", "text"]
    extra = 0


@admin.register(LadderLevel)
class LadderLevelAdmin(SeededAdmin):
    list_display = ["number", "name", "subtitle"]
    list_display_links = ["name"]
    search_fields = ["name", "what_it_is", "description"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [LadderSignalInline]


@admin.register(LadderSignal)
class LadderSignalAdmin(SeededAdmin):
    list_display = ["text", "level", "order"]
    list_editable = ["order"]
    list_filter = ["level"]
    search_fields = ["text"]


@admin.register(PathPhase)
class PathPhaseAdmin(SeededAdmin):
    list_display = ["order", "weeks_label", "name", "start_week", "end_week"]
    list_display_links = ["name"]
    list_editable = ["start_week", "end_week"]
    search_fields = ["name", "text", "end_state"]


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
