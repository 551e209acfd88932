from django.contrib import admin
from django.db.models import Count

from cohorts.models import Cohort, Membership, holds_lead_permission


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

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "leads":
            kwargs["queryset"] = db_field.related_model.objects.filter(
                holds_lead_permission()
            ).distinct()
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
