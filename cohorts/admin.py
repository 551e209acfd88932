from django.conf import settings
from django.contrib import admin
from django.db.models import Count

from cohorts.models import Cohort, Membership, may_lead
from pages import bump_cohort, bump_learner


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    readonly_fields = ["joined_at"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "starts_on", "ends_on", "lead_names", "member_count", "invite_is_on"]
    list_filter = ["starts_on"]
    search_fields = ["name", "description", "leads__username", "leads__display_name"]
    autocomplete_fields = ["leads"]
    readonly_fields = ["created_at"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["name", "description", "starts_on", "ends_on", "leads"]}),
        (
            "Invite link",
            {
                "fields": ["invite_token", "created_at"],
                "description": "Clear the token to turn the invite link off; a new token "
                "makes the old link stop working.",
            },
        ),
    ]

    def save_related(self, request, form, formsets, change):
        """A cohort saved here moves on its lead pages and its members' own pages (they show
        the cohort and who leads it), including members the inline just removed."""
        removed = [m.user_id for formset in formsets for m in formset.deleted_objects]
        super().save_related(request, form, formsets, change)
        cohort = form.instance
        bump_cohort(cohort.pk)
        bump_learner(*cohort.memberships.values_list("user_id", flat=True), *removed)

    def delete_model(self, request, obj):
        members = list(obj.memberships.values_list("user_id", flat=True))
        super().delete_model(request, obj)
        bump_learner(*members)

    def delete_queryset(self, request, queryset):
        members = list(
            Membership.objects.filter(cohort__in=queryset).values_list("user_id", flat=True)
        )
        super().delete_queryset(request, queryset)
        bump_learner(*members)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "leads":
            kwargs["queryset"] = db_field.related_model.objects.filter(may_lead()).distinct()
            if settings.COHORTS_RESTRICTED_TO_GROUP:
                kwargs["help_text"] = (
                    "Only people who may lead cohorts (the “Cohort leads” group): someone taken "
                    "out of that group no longer opens the cohorts they lead."
                )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("leads")
            .annotate(member_count=Count("memberships", distinct=True))
        )

    @admin.display(description="leads")
    def lead_names(self, cohort):
        return ", ".join(lead.shown_name for lead in cohort.leads.all()) or "—"

    @admin.display(description="members", ordering="member_count")
    def member_count(self, cohort):
        return cohort.member_count

    @admin.display(description="invite on", boolean=True)
    def invite_is_on(self, cohort):
        return bool(cohort.invite_token)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "cohort", "joined_at"]
    list_filter = ["cohort"]
    search_fields = ["user__username", "user__display_name", "user__email", "cohort__name"]
    autocomplete_fields = ["user", "cohort"]
    list_select_related = ["user", "cohort"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        _membership_changed([obj], moved_from=form.initial.get("cohort"))

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        _membership_changed([obj])

    def delete_queryset(self, request, queryset):
        memberships = list(queryset)
        super().delete_queryset(request, queryset)
        _membership_changed(memberships)


def _membership_changed(memberships, moved_from=None):
    """The cohorts' lead pages and the members' own pages move on (and the cohort a membership
    was moved out of)."""
    cohorts = {m.cohort_id for m in memberships}
    if moved_from is not None:
        cohorts.add(moved_from)
    bump_cohort(*cohorts)
    bump_learner(*{m.user_id for m in memberships})
