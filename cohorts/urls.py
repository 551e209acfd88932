from django.urls import path

from cohorts import views

app_name = "cohorts"

urlpatterns = [
    # Create, invite, join, leave; the lead's heatmap, learner page, evidence review and CSV
    path("welcome/", views.landing, name="landing"),
    path("cohorts/", views.cohort_list, name="cohorts"),
    path("cohorts/new/", views.cohort_create, name="cohort_create"),
    path("cohorts/reviews/", views.review_queue, name="cohort_reviews"),
    path("cohorts/reviews/<id:pk>/", views.review_claim, name="cohort_review"),
    path("cohorts/<id:pk>/", views.cohort_detail, name="cohort"),
    path("cohorts/<id:pk>/edit/", views.cohort_edit, name="cohort_edit"),
    path("cohorts/<id:pk>/invite/", views.cohort_invite, name="cohort_invite"),
    path("cohorts/<id:pk>/export.csv", views.cohort_export, name="cohort_export"),
    path("cohorts/<id:pk>/over-time/", views.cohort_over_time, name="cohort_over_time"),
    path("cohorts/<id:pk>/learners/<id:user_pk>/", views.cohort_learner, name="cohort_learner"),
    path("cohorts/<id:pk>/welcome/", views.welcome, name="cohort_welcome"),
    path("cohorts/<id:pk>/leave/", views.leave, name="cohort_leave"),
    path("join/<str:token>/", views.join, name="cohort_join"),
]
