"""Learning in the CMS: the instructor's panel, the "To grade" queue and grading, gradebooks, and the roster
export of their courses."""

from django.urls import path, re_path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from catalog.permissions import is_admin
from lms_site.models import Role

from . import cms_views
from .cms_panels import GradingPanel, LearningPanel
from .rosters import roster_csv


def _grades(user) -> bool:
    return is_admin(user) or (user.is_active and user.role == Role.INSTRUCTOR)


class GradingMenuItem(MenuItem):
    def is_shown(self, request):
        return _grades(request.user)


@hooks.register("construct_homepage_panels")
def add_learning_panel(request, panels):
    if _grades(request.user):
        panels.append(GradingPanel())
    if request.user.role == Role.INSTRUCTOR:
        panels.append(LearningPanel())


@hooks.register("register_admin_menu_item")
def register_grading_menu_item():
    return GradingMenuItem(
        _("To grade"), reverse("learners_grading_queue"), name="to-grade", icon_name="tasks", order=150
    )


@hooks.register("register_admin_urls")
def register_learning_urls():
    return [
        path("learning/courses/<int:course_id>/roster.csv", roster_csv, name="learners_roster"),
        path("learning/grading/", cms_views.GradingQueueView.as_view(), name="learners_grading_queue"),
        path(
            "learning/submissions/<uuid:submission_id>/",
            cms_views.SubmissionGradingView.as_view(),
            name="learners_submission",
        ),
        path(
            "learning/courses/<int:course_id>/gradebook/",
            cms_views.GradebookView.as_view(),
            name="learners_gradebook",
        ),
        re_path(
            r"^learning/courses/(?P<course_id>\d+)/gradebook\.(?P<export_format>csv|xlsx)$",
            cms_views.gradebook_export,
            name="learners_gradebook_export",
        ),
    ]
