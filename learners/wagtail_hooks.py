"""Learning in the CMS: the instructor's panel and the roster export of their courses."""

from django.urls import path
from wagtail import hooks

from lms_site.models import Role

from .cms_panels import LearningPanel
from .rosters import roster_csv


@hooks.register("construct_homepage_panels")
def add_learning_panel(request, panels):
    if request.user.role == Role.INSTRUCTOR:
        panels.append(LearningPanel())


@hooks.register("register_admin_urls")
def register_roster_url():
    return [path("learning/courses/<int:course_id>/roster.csv", roster_csv, name="learners_roster")]
