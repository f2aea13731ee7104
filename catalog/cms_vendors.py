"""Each instructor's own space in /cms/: the Wagtail screens that need more than a hook to keep it.

The rules are in catalog.permissions; Wagtail's page permission policy (replaced there), the page
chooser hook and instructors' collections cover most screens. What is left are screens that show a
page or a person by an id from the request, or lists of people, without asking anyone's permission.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404
from wagtail.admin.site_summary import PagesSummaryItem
from wagtail.admin.views.pages.choose_parent import GenericChooseParentView
from wagtail.admin.views.pages.listing import GenericPageFilterSet
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageLogEntry
from wagtail.permissions import policy_registry

from lms_site.models import Role

from .permissions import any_hidden, hide_others_courses, is_admin


def _visible_pages(request):
    return policy_registry.get_by_type(Page).explorable_instances(request.user)


def _owners_of_visible_pages(request):
    return get_user_model().objects.filter(pk__in=_visible_pages(request).values("owner_id"))


def _editors_of_visible_pages(request):
    edits = PageLogEntry.objects.filter(action="wagtail.edit", page__in=_visible_pages(request).values("pk"))
    return get_user_model().objects.filter(pk__in=edits.values("user_id"))


class VendorPageFilterSet(GenericPageFilterSet):
    """The page listings' filters offer the owners and editors of pages one may see, not everyone's."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["owner"].queryset = _owners_of_visible_pages
        self.filters["edited_by"].queryset = _editors_of_visible_pages


class VendorChooseParentView(GenericChooseParentView):
    """With one section of one's own, "add a lesson" goes straight there, other instructors' unseen."""

    def get_valid_parent_pages(self, user):
        return hide_others_courses(super().get_valid_parent_pages(user), user)


class VendorPageViewSet(PageViewSet):
    """Wagtail's views for every page type (it replaces the default one), with the filters and view above."""

    filterset_class = VendorPageFilterSet
    choose_parent_view_class = VendorChooseParentView


class OwnPagesSummaryItem(PagesSummaryItem):
    """The dashboard's page count, of the pages one may see."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        pages = Page.objects.descendant_of(context["root_page"], inclusive=True)
        context["total_pages"] = hide_others_courses(pages, self.request.user).count()
        return context


def _visible_files(model):
    def visible(user, objects):
        ids = [obj.pk for obj in objects]
        policy = policy_registry.get_by_type(model)
        return set(
            policy.instances_user_has_any_permission_for(user, ["choose", "change", "delete"])
            .filter(pk__in=ids)
            .values_list("pk", flat=True)
        )

    return visible


def _visible_pages_among(user, objects):
    ids = [obj.pk for obj in objects]
    return set(hide_others_courses(Page.objects.filter(pk__in=ids), user).values_list("pk", flat=True))


class VisibleItemsOnly:
    """Bulk actions confirm by title the chosen items one may not act on: keep those one may see.

    The items come from ids in the address (or every child of a page), so without this another
    instructor's pages or files could be named there.
    """

    def get_actionable_objects(self):
        objects, extra = super().get_actionable_objects()
        refused = extra["items_with_no_access"]
        if refused and not is_admin(self.request.user):
            visible = VISIBLE_AMONG[self.model](self.request.user, refused)
            extra["items_with_no_access"] = [obj for obj in refused if obj.pk in visible]
        return objects, extra


VISIBLE_AMONG = {
    Page: _visible_pages_among,
    get_document_model(): _visible_files(get_document_model()),
    get_image_model(): _visible_files(get_image_model()),
}


def visible_items_only(action_class):
    return type(action_class.__name__, (VisibleItemsOnly, action_class), {})


# Wagtail's page screens take their page from the address, and some name it (in a header, breadcrumbs or
# a message) before asking its permission tester, or never ask it: for an instructor, others' pages are not
# there.
PAGE_ID_ARGUMENTS = {"page_id", "parent_page_id", "page_to_move_id", "destination_id", "pk"}
PAGE_SCREENS_OUTSIDE_THEIR_NAMESPACE = {
    "wagtailadmin_explore",
    "wagtailadmin_explore_results",
    "wagtailadmin_choose_page_child",
}
# Screens that take pages from the query string or the posted form: (view, method, field).
PAGE_IDS_IN_REQUEST = {
    "wagtailadmin_choose_page_chosen_multiple": ("GET", "id"),
    "wagtailadmin_pages:choose_parent": ("POST", "parent_page"),
    "wagtailadmin_pages:copy": ("POST", "new_parent_page"),
}
# Reports count and name pages and people across the whole site, and offer no hook to narrow them.
ADMIN_ONLY_NAMESPACES = {"wagtailadmin_reports"}


def _page_ids(request, match, view_kwargs) -> list[str]:
    ids = []
    if match.namespace == "wagtailadmin_pages" or match.view_name in PAGE_SCREENS_OUTSIDE_THEIR_NAMESPACE:
        ids += [value for name, value in view_kwargs.items() if name in PAGE_ID_ARGUMENTS]
    if found := PAGE_IDS_IN_REQUEST.get(match.view_name):
        method, field = found
        ids += getattr(request, method).getlist(field)
    return [value for value in map(str, ids) if value.isdigit()]


class CmsVendorGuardMiddleware:
    """To instructors: 404 for another instructor's page named in the request, 403 for the reports.

    Everyone else meets Wagtail's own checks (students have no /cms/ at all; admins see everything).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if getattr(user, "role", None) != Role.INSTRUCTOR:
            return None
        match = request.resolver_match
        if ADMIN_ONLY_NAMESPACES & set(match.namespaces):
            raise PermissionDenied
        if (ids := _page_ids(request, match, view_kwargs)) and any_hidden(user, ids):
            raise Http404
        return None
