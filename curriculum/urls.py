from django.urls import path

from curriculum import views

app_name = "curriculum"

urlpatterns = [
    path("", views.home, name="home"),
    path("tree/", views.tree, name="tree"),
    path("trunks/<slug:slug>/", views.trunk_detail, name="trunk"),
    path("skills/<slug:slug>/", views.skill_detail, name="skill"),
    path("tracks/", views.track_list, name="tracks"),
    path("tracks/<slug:slug>/", views.track_detail, name="track"),
    path("ladder/", views.ladder, name="ladder"),
    path("path/", views.path_page, name="path"),
    path("sources/", views.source_list, name="sources"),
]
