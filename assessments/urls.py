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
    path("progress/skills/<slug:slug>/", progress.skill_progress, name="skill_progress"),
    path("progress/ladder/", progress.my_ladder, name="my_ladder"),
    path("progress/path/", progress.my_path, name="my_path"),
    # The learner's data: export and account deletion
    path("my-data/export.json", data.export_json, name="export_json"),
    path("my-data/ratings.csv", data.export_ratings_csv, name="export_ratings_csv"),
    path("my-data/delete/", data.delete_account, name="delete_account"),
    # Cohorts: create, invite, join, leave, the lead's pages, evidence review, CSV
    path("cohorts/", cohorts.cohort_list, name="cohorts"),
    path("cohorts/new/", cohorts.cohort_create, name="cohort_create"),
    path("cohorts/reviews/", cohorts.review_queue, name="cohort_reviews"),
    path("cohorts/reviews/<int:pk>/", cohorts.review_claim, name="cohort_review"),
    path("cohorts/<int:pk>/", cohorts.cohort_detail, name="cohort"),
    path("cohorts/<int:pk>/edit/", cohorts.cohort_edit, name="cohort_edit"),
    path("cohorts/<int:pk>/invite/", cohorts.cohort_invite, name="cohort_invite"),
    path("cohorts/<int:pk>/export.csv", cohorts.cohort_export, name="cohort_export"),
    path("cohorts/<int:pk>/learners/<int:user_pk>/", cohorts.cohort_learner, name="cohort_learner"),
    path("cohorts/<int:pk>/leave/", cohorts.leave, name="cohort_leave"),
    path("join/<str:token>/", cohorts.join, name="cohort_join"),
]
