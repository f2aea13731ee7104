"""Every /api/v1/ route, collected in one place."""

from django.urls import include, path

app_name = "api"
urlpatterns = [
    path("", include("lms_site.api.urls")),
    path("", include("catalog.api.urls")),
    path("", include("learners.api.urls")),
]
