"""Who may do what to a course's pages, and see which pages and files, in the CMS.

Instructors hold Wagtail's "add" permission on the course index, which alone would let them add
pages under anybody's course and edit any page they created, and see every course in the tree.
This narrows it to courses they own, in the states where a course may change, never to publishing,
and keeps other instructors' courses out of their sight. Their documents and images are theirs by
collection (lms_site.models.InstructorLibrary), which Wagtail's own permission policies enforce.
"""

from django.db.models import Exists, IntegerField, OuterRef, Subquery
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PagePermissionTester
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import policy_registry

from .models import CourseIndexPage, CoursePage
from .models.lifecycle import ChangeStatus, CourseStatus

# States in which the owner may change a course's content. A published course takes edits as
# drafts, which go live together when the owner submits them as a change and an admin approves it.
OWNER_EDITABLE = {CourseStatus.DRAFT, CourseStatus.REJECTED, CourseStatus.PUBLISHED}
OWNER_DELETABLE = {CourseStatus.DRAFT, CourseStatus.REJECTED}


def is_admin(user) -> bool:
    return user.is_active and (user.is_superuser or getattr(user, "role", None) == "admin")


def owns(user, course) -> bool:
    return user.is_active and user.role == "instructor" and course.owner_id == user.pk


# Vendors: what of the page tree an instructor sees


def _course_path():
    """The path of the course an outer page is, or is in: courses all sit one level below the catalog."""
    catalog_depth = Subquery(CourseIndexPage.objects.values("depth")[:1], output_field=IntegerField())
    return Substr(OuterRef("path"), 1, (catalog_depth + 1) * Page.steplen)


def in_others_courses(user) -> Exists:
    """A filter for pages that are, or are inside, a course `user` does not own."""
    return Exists(CoursePage.objects.filter(path=_course_path()).exclude(owner_id=user.pk))


def hide_others_courses(pages, user):
    """`pages` without other instructors' courses, sections and lessons (admins see everything)."""
    return pages if is_admin(user) else pages.exclude(in_others_courses(user))


def any_hidden(user, page_ids) -> bool:
    """Whether any of these pages is inside a course `user` may not see."""
    return (
        not is_admin(user) and Page.objects.filter(pk__in=page_ids).filter(in_others_courses(user)).exists()
    )


class VendorPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page permissions, less other instructors' courses.

    Wagtail asks it which pages someone may see or act on in the explorer and its sidebar API, page
    search, page-type listings, the site history and the other reports.
    """

    def instances_user_has_any_permission_for(self, user, actions):
        pages = super().instances_user_has_any_permission_for(user, actions)
        if is_admin(user):
            return pages
        # As ids: the sidebar's page API hands these to the search backend, which refuses the subquery itself.
        return self.model._default_manager.filter(pk__in=hide_others_courses(pages, user).values("pk"))


# Files: documents and images a page may use


def _file_models():
    return (get_document_model(), get_image_model())


def _files_in(page, overrides: dict) -> dict:
    """{model: {id: field name}} of the documents and images a page's fields name (`overrides` win)."""
    file_models = _file_models()
    found: dict = {}
    for field in type(page)._meta.concrete_fields:
        value = overrides[field.name] if field.name in overrides else field.value_from_object(page)
        if value in (None, ""):
            continue
        if field.is_relation and field.related_model in file_models:
            found.setdefault(field.related_model, {})[str(getattr(value, "pk", value))] = field.name
        elif hasattr(field, "extract_references"):
            for model, object_id, *_ in field.extract_references(value):
                if model in file_models:
                    found.setdefault(model, {}).setdefault(str(object_id), field.name)
    return found


def fields_with_others_files(user, page, *, changes: dict | None = None, before=None) -> list[str]:
    """Fields of `page` (with `changes`) naming a document or image that `user` may not choose in the CMS.

    Files the page used in `before` (its previous version) stay allowed, such as one an admin put there.
    """
    previous = _files_in(before, {}) if before is not None else {}
    fields = set()
    for model, files in _files_in(page, changes or {}).items():
        used = previous.get(model, {})
        new = {object_id: name for object_id, name in files.items() if object_id not in used}
        if not new:
            continue
        choosable = policy_registry.get_by_type(model).instances_user_has_permission_for(user, "choose")
        allowed = {str(pk) for pk in choosable.filter(pk__in=new).values_list("pk", flat=True)}
        fields.update(name for object_id, name in new.items() if object_id not in allowed)
    return sorted(fields)


OTHERS_FILES_MESSAGE = _("Choose documents and images from your own library.")


class CoursePermissionTester(PagePermissionTester):
    def __init__(self, user, page, *, course):
        super().__init__(user, page)
        self.course = course
        self.is_admin = is_admin(user)
        self.is_owner = not self.is_admin and owns(user, course)

    @property
    def status(self):
        return self.course.lifecycle.status

    @property
    def is_course(self):
        return self.page.pk == self.course.pk

    @property
    def owner_may_change(self):
        """The owner edits in these states, but not a published course's change while it is reviewed."""
        lifecycle = self.course.lifecycle
        return self.status in OWNER_EDITABLE and lifecycle.change_status != ChangeStatus.PENDING

    def can_add_subpage(self):
        if self.is_admin:
            return super().can_add_subpage()
        return self.is_owner and self.owner_may_change and super().can_add_subpage()

    def can_edit(self):
        if self.is_admin:
            return super().can_edit()
        if not self.is_owner:
            return False
        if self.is_course and self.course.lifecycle.under_review:
            return True  # opens read-only (the review task locks it) so the owner can withdraw
        return self.owner_may_change

    def can_delete(self, ignore_bulk=False):
        if self.is_admin:
            return super().can_delete(ignore_bulk=ignore_bulk)
        return self.is_owner and self.status in OWNER_DELETABLE and not self.page.live

    def can_submit_for_moderation(self):
        if self.is_admin:
            return False  # admins review; they do not submit
        return (
            self.is_owner
            and self.is_course
            and self.course.lifecycle.awaits_submission
            and super().can_submit_for_moderation()
        )

    def can_publish(self):
        return self.is_admin and super().can_publish()

    def can_unpublish(self):
        return self.is_admin and super().can_unpublish()

    def can_publish_subpage(self):
        return self.is_admin and super().can_publish_subpage()

    def can_move(self):
        return self.is_admin and super().can_move()

    def can_copy(self):
        return (self.is_admin or self.is_owner) and super().can_copy()

    def can_reorder_children(self):
        if self.is_admin:
            return super().can_reorder_children()
        return self.is_owner and self.owner_may_change
