"""The site's own account pages (allauth's are under /accounts/)."""

from django.urls import path

from . import site_views

app_name = "lms_site"
urlpatterns = [
    path("account/profile/", site_views.profile, name="profile"),
    path("account/become-instructor/", site_views.become_instructor, name="become_instructor"),
    path("account/invitation/<str:uidb64>/<str:token>/", site_views.invitation, name="invitation"),
]
