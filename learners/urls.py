from django.urls import path

from . import site_views

app_name = "learners"
urlpatterns = [
    path("certificates/<str:code>/", site_views.certificate_verify, name="certificate_verify"),
    path("certificates/<str:code>/pdf/", site_views.certificate_pdf, name="certificate_pdf"),
]
