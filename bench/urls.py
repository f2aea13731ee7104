"""The site's URLconf, with the floor view in front."""

from django.urls import path

from config.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401

from .floor import api_floor, catalog_floor

urlpatterns = [path("floor/courses/", catalog_floor), path("floor/api/courses/", api_floor), *urlpatterns]
