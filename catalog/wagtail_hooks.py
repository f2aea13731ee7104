"""The catalog in the CMS: categories, the lifecycle's audit entries, publishing through the services, the
dashboard's course panels, each instructor's own space, and course files served to their readers only."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.site_summary import PagesSummaryItem
from wagtail.admin.views.pages import bulk_actions as page_bulk_actions
from wagtail.admin.widgets import Button
from wagtail.documents.views import bulk_actions as document_bulk_actions
from wagtail.images.views import bulk_actions as image_bulk_actions
from wagtail.models import Page
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from lms_site.errors import DomainError
from lms_site.models import Role

from . import cms_outline, selectors, services
from .cms_outline import add_lesson_url
from .cms_vendors import OwnPagesSummaryItem, VendorPageViewSet, visible_items_only
from .dashboard_panels import CourseReviewQueuePanel, MyCoursesPanel
from .models import Category, ChangeStatus, CoursePage, CourseStatus, LessonPage, LessonType, SectionPage
from .permissions import hide_others_courses, is_admin

LOG_ACTIONS = {
    "submit": _("Course submitted for review"),
    "withdraw": _("Course withdrawn from review"),
    "approve": _("Course approved"),
    "reject": _("Course rejected"),
    "publish": _("Course published"),
    "unpublish": _("Course unpublished"),
    "schedule": _("Course scheduled to go live"),
    "submit_change": _("Change to the published course submitted for review"),
    "withdraw_change": _("Change to the published course withdrawn from review"),
    "approve_change": _("Change to the published course approved and live"),
    "reject_change": _("Change to the published course rejected"),
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


def _held_back(page) -> str:
    """Why this page may not go live now ("" when it may): courses go live from approved, their
    sections and lessons with them; while a change to a published course is under review, all of it
    goes live only when the change is approved."""
    if isinstance(page, CoursePage):
        lifecycle = page.lifecycle
        if lifecycle.status not in (CourseStatus.APPROVED, CourseStatus.PUBLISHED):
            return _("A course is published once it has been reviewed and approved.")
    elif isinstance(page, SectionPage | LessonPage):
        lifecycle = page.course.lifecycle
        if lifecycle.status != CourseStatus.PUBLISHED:
            return _("Sections and lessons go live with their course, once it is approved and published.")
    else:
        return ""
    if lifecycle.change_status == ChangeStatus.PENDING:
        return _("This page is part of a change under review; it goes live once the change is approved.")
    return ""


@hooks.register("before_publish_page")
def publish_course_through_lifecycle(request, page):
    """An approved course goes live by the publish service (now or at its go-live time). Changes to a
    published course and its pages are published as Wagtail does."""
    if reason := _held_back(page):
        messages.error(request, reason)
        return redirect("wagtailadmin_pages:edit", page.pk)
    if isinstance(page, CoursePage) and page.status == CourseStatus.APPROVED:
        return _run(
            request, page, services.course_publish, _("The course is published."), go_live_at=page.go_live_at
        )
    return None


@hooks.register("before_bulk_action")
def bulk_publish_through_lifecycle(request, action_type, objects, action_class_instance):
    """The explorer's bulk "Publish" skips before_publish_page: hold back the same pages there."""
    if action_type != "publish":
        return None
    for page in objects:
        if reason := _held_back(page.specific):
            messages.error(request, f"{page.get_admin_display_title()}: {reason}")
            return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


@hooks.register("before_unpublish_page")
def unpublish_course_through_lifecycle(request, page):
    if not isinstance(page, CoursePage):
        return None
    return _run(request, page, services.course_unpublish, _("The course is back to draft."))


@hooks.register("construct_homepage_panels")
def add_course_panels(request, panels):
    if is_admin(request.user):
        panels.append(CourseReviewQueuePanel())
    elif request.user.role == Role.INSTRUCTOR:
        panels.append(MyCoursesPanel())


@hooks.register("register_page_listing_more_buttons")
@hooks.register("register_page_header_buttons")
def add_lesson_of_each_type(page, user, *args, **kwargs):
    """A section offers "Add lesson: Quiz" and the like: the form opens with that type and its block set."""
    section = page.specific_deferred
    if not isinstance(section, SectionPage) or not section.permissions_for_user(user).can_add_subpage():
        return
    for priority, (value, label) in enumerate(LessonType.choices, start=81):
        yield Button(
            _("Add lesson: %(type)s") % {"type": label},
            add_lesson_url(page.pk, value),
            icon_name="plus",
            priority=priority,
        )


@hooks.register("register_page_listing_more_buttons")
@hooks.register("register_page_header_buttons")
def course_outline_button(page, user, *args, **kwargs):
    if isinstance(page.specific_deferred, CoursePage) and page.permissions_for_user(user).can_edit():
        yield Button(_("Outline"), reverse("catalog_course_outline", args=(page.pk,)), icon_name="list-ul")


@hooks.register("register_admin_urls")
def register_outline_urls():
    return [
        path("courses/<int:course_id>/outline/", cms_outline.outline, name="catalog_course_outline"),
        path("courses/<int:course_id>/outline/move/", cms_outline.move, name="catalog_course_outline_move"),
    ]


# Each instructor's own space: the page tree's listings and search follow catalog.permissions'
# page permission policy; documents and images follow instructors' own collections.


@hooks.register("register_admin_viewset")
def register_vendor_page_viewset():
    return VendorPageViewSet("vendor_pages")


@hooks.register("construct_page_chooser_queryset")
def choose_among_own_courses(pages, request):
    # As ids: the chooser's search hands these to the search backend, which refuses the subquery itself.
    return pages.filter(pk__in=hide_others_courses(Page.objects.all(), request.user).values("pk"))


@hooks.register("construct_homepage_summary_items")
def count_only_visible_pages(request, items):
    if not is_admin(request.user):
        items[:] = [
            OwnPagesSummaryItem(request) if type(item) is PagesSummaryItem else item for item in items
        ]


for bulk_actions in (page_bulk_actions, document_bulk_actions, image_bulk_actions):
    for name in bulk_actions.__all__:
        hooks.register("register_bulk_action", visible_items_only(getattr(bulk_actions, name)))


@hooks.register("before_serve_document")
def serve_course_files_to_their_readers(document, request):
    """Needs WAGTAILDOCS_SERVE_METHOD = "serve_view": other methods hand out the storage's own address."""
    access = selectors.document_access(document, request.user)
    if access is selectors.FileAccess.HIDDEN:
        raise Http404
    if access is selectors.FileAccess.REFUSED:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    return None
