from django.contrib import admin

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


class ResourceInline(admin.TabularInline):
    model = Resource
    fields = ["order", "title", "url", "kind", "is_free", "retired"]
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
    list_display = ["title", "skill", "kind", "is_free", "retired", "url"]
    list_editable = ["retired"]
    list_filter = ["retired", "is_free", "kind", "skill__trunk"]
    search_fields = ["title", "url", "skill__name"]
    list_select_related = ["skill"]
    autocomplete_fields = ["skill"]
    actions = ["retire", "restore"]

    @admin.action(description="Retire the selected resources (keep them, hide them)")
    def retire(self, request, queryset):
        queryset.update(retired=True)

    @admin.action(description="Restore the selected resources")
    def restore(self, request, queryset):
        queryset.update(retired=False)


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
