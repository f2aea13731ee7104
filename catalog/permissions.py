"""Who may do what to a course's pages in the CMS.

Instructors hold Wagtail's "add" permission on the course index, which alone would let them add
pages under anybody's course and edit any page they created. This narrows it to courses they own,
in the states where a course may change, and never to publishing.
"""

from wagtail.models import PagePermissionTester

from .models.lifecycle import CourseStatus

# States in which the owner may change a course's content. A published course takes edits as
# drafts, which go live only when the course is approved and published again.
OWNER_EDITABLE = {CourseStatus.DRAFT, CourseStatus.REJECTED, CourseStatus.PUBLISHED}
OWNER_DELETABLE = {CourseStatus.DRAFT, CourseStatus.REJECTED}


def is_admin(user) -> bool:
    return user.is_active and (user.is_superuser or getattr(user, "role", None) == "admin")


def owns(user, course) -> bool:
    return user.is_active and user.role == "instructor" and course.owner_id == user.pk


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

    def can_add_subpage(self):
        if self.is_admin:
            return super().can_add_subpage()
        return self.is_owner and self.status in OWNER_EDITABLE and super().can_add_subpage()

    def can_edit(self):
        if self.is_admin:
            return super().can_edit()
        if not self.is_owner:
            return False
        if self.is_course and self.status == CourseStatus.PENDING:
            return True  # opens read-only (the review task locks it) so the owner can withdraw
        return self.status in OWNER_EDITABLE

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
            and self.status in (CourseStatus.DRAFT, CourseStatus.REJECTED)
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
        return self.is_owner and self.status in OWNER_EDITABLE
