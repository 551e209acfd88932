from django.urls import path

from api import views
from api.v1 import api

urlpatterns = [
    path("api/v1/docs/", views.docs, name="api_docs"),
    path("api/v1/", api.urls),
    path("accounts/profile/tokens/", views.token_create, name="access_token_create"),
    path("accounts/profile/tokens/<id:pk>/revoke/", views.token_revoke, name="access_token_revoke"),
]
