"""The catalog in the CMS: categories, the lifecycle's audit entries, and publishing through the services."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from lms_site.errors import DomainError

from . import services
from .models import Category, CoursePage, CourseStatus

LOG_ACTIONS = {
    "submit": _("Course submitted for review"),
    "withdraw": _("Course withdrawn from review"),
    "approve": _("Course approved"),
    "reject": _("Course rejected"),
    "publish": _("Course published"),
    "unpublish": _("Course unpublished"),
    "schedule": _("Course scheduled to go live"),
}


@hooks.register("register_log_actions")
def register_course_log_actions(actions):
    for name, label in LOG_ACTIONS.items():
        actions.register_action(f"catalog.course.{name}", label, label)


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "folder-open-inverse"
    menu_label = _("Categories")
    add_to_admin_menu = True
    menu_order = 250
    list_display = ["name", "slug", "icon"]
    search_fields = ["name"]


register_snippet(CategoryViewSet)


def _run(request, page, service, done, **kwargs):
    try:
        service(course=page, user=request.user, **kwargs)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("wagtailadmin_pages:edit", page.pk)


@hooks.register("before_publish_page")
def publish_course_through_lifecycle(request, page):
    """A course goes live only from approved, by the publish service (now or at its go-live time)."""
    if not isinstance(page, CoursePage):
        return None
    status = page.lifecycle.status
    if status == CourseStatus.PUBLISHED:
        return None  # an admin's change to a live course, published as Wagtail does
    if status != CourseStatus.APPROVED:
        messages.error(request, _("A course is published once it has been reviewed and approved."))
        return redirect("wagtailadmin_pages:edit", page.pk)
    return _run(
        request, page, services.course_publish, _("The course is published."), go_live_at=page.go_live_at
    )


@hooks.register("before_unpublish_page")
def unpublish_course_through_lifecycle(request, page):
    if not isinstance(page, CoursePage):
        return None
    return _run(request, page, services.course_unpublish, _("The course is back to draft."))
