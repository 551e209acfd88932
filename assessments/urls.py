from django.urls import path

from assessments.views import audits, dashboard, my_data, progress, sharing

app_name = "assessments"

urlpatterns = [
    # Audits: quick audit, full audit (draft, ratings, save), history
    path("audit/quick/", audits.quick_audit, name="quick_audit"),
    path("audit/quick/picture/", audits.visitor_picture, name="visitor_picture"),
    path("audit/", audits.audit, name="audit"),
    path("audits/", audits.audit_history, name="audit_history"),
    path("audits/<id:pk>/", audits.audit_detail, name="audit_detail"),
    path("audits/<id:pk>/ratings/", audits.audit_ratings, name="audit_ratings"),
    path("audits/<id:pk>/rate/", audits.rate, name="rate"),
    path("audits/<id:pk>/save/", audits.save_audit, name="save_audit"),
    # Dashboard: gap to the target track, track fit, next skills, history, warnings
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    # Progress: per-skill status and evidence, ladder signals, the 20-week path
    path("progress/skills/<slug:slug>/", progress.skill_progress, name="skill_progress"),
    path("progress/skills/<slug:slug>/start/", progress.start_skill, name="start_learning"),
    path("progress/skills/<slug:slug>/notes/", progress.skill_notes, name="skill_notes"),
    path("progress/ladder/", progress.my_ladder, name="my_ladder"),
    path("progress/path/", progress.my_path, name="my_path"),
    # The learner's data: export and account deletion
    path("my-data/export.json", my_data.export_json, name="export_json"),
    path("my-data/ratings.csv", my_data.export_ratings_csv, name="export_ratings_csv"),
    path("my-data/delete/", my_data.delete_account, name="delete_account"),
    # The shareable profile: the public page and its settings on the learner's profile
    path("p/<slug:slug>/", sharing.public_profile, name="public_profile"),
    path("profile/sharing/", sharing.share_settings, name="share_settings"),
]
