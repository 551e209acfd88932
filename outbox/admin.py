from django.contrib import admin

from outbox.models import Mail


class GivenUpFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("waiting", "Waiting"), ("given_up", "Given up")]

    def queryset(self, request, queryset):
        if self.value() == "waiting":
            return queryset.filter(given_up_at__isnull=True)
        if self.value() == "given_up":
            return queryset.filter(given_up_at__isnull=False)
        return queryset


@admin.register(Mail)
class MailAdmin(admin.ModelAdmin):
    """Read-only: mail the mail server has not taken yet, and mail given up after every try
    failed (its last error says why). Sent mail is not kept."""

    list_display = ["subject", "queued_at", "attempts", "given_up_at", "last_error"]
    list_filter = [GivenUpFilter]
    date_hierarchy = "queued_at"
    exclude = ["body", "html"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
