from django.urls import path  # noqa: F401

from assessments.views import audits, cohorts, dashboard, data, progress  # noqa: F401

app_name = "assessments"

urlpatterns = [
    # Audits: quick audit, full audit (draft, ratings, save), history
    path("audit/quick/", audits.quick_audit, name="quick_audit"),
    path("audit/", audits.audit, name="audit"),
    path("audits/", audits.audit_history, name="audit_history"),
    path("audits/<int:pk>/", audits.audit_detail, name="audit_detail"),
    path("audits/<int:pk>/rate/", audits.rate, name="rate"),
    path("audits/<int:pk>/save/", audits.save_audit, name="save_audit"),
    # Dashboard: gap to the target track, track fit, next skills, history, warnings
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    # Progress: per-skill status and evidence, ladder signals, the 20-week path
    # The learner's data: export and account deletion
    # Cohorts: create, invite, join, leave, the lead's pages, evidence review, CSV
]
