from allauth.socialaccount.models import SocialApp, SocialToken
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.models import User
from pages import bump_learner


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Django's user admin plus the profile fields. Make someone a cohort lead by adding them
    to the "Cohort leads" group (Permissions, below)."""

    list_display = ["username", "display_name", "email", "target_track", "is_staff", "date_joined"]
    list_filter = ["groups", "is_staff", "is_active", "target_track"]
    search_fields = ["username", "display_name", "email"]
    list_select_related = ["target_track"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        ("Skill Tree", {"fields": ["display_name", "target_track", "path_started_on"]}),
        (
            "Email",
            {"fields": ["email_audit_reminders", "email_review_verdicts", "email_review_digest"]},
        ),
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        bump_learner(obj.pk)


# Sign-in providers come from the environment only (skilltree/single_sign_on.py): an app added
# in the admin would not be used, and no provider's tokens are kept. The accounts people
# connected stay in the admin (django-allauth's "Social accounts").
admin.site.unregister(SocialApp)
admin.site.unregister(SocialToken)
