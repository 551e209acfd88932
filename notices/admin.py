from django.contrib import admin

from notices.models import Notice


class SentFilter(admin.SimpleListFilter):
    title = "sent"
    parameter_name = "sent"

    def lookups(self, request, model_admin):
        return [("no", "Due"), ("yes", "Sent")]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.due()
        if self.value() == "yes":
            return queryset.filter(sent_at__isnull=False)
        return queryset


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    """Read-only: what `send_reminders` handed to the outbox, and what is still due (an email it
    could not write). Mail the mail server refuses waits in the outbox (Outgoing mail)."""

    list_display = ["user", "kind", "key", "created_at", "sent_at"]
    list_filter = [SentFilter, "kind"]
    search_fields = ["user__username", "user__email"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
