"""Panels on the CMS dashboard (/cms/): an instructor's courses, and the admins' review queue.

Each panel reads its courses in one query, however many there are (the instructor's panel one more, for
the course index its "Create a course" button adds under).
"""

from django.db.models import Q
from django.urls import reverse
from wagtail.admin.ui.components import Component

from .models import ChangeStatus, CoursePage, CourseStatus
from .permissions import OWNER_EDITABLE
from .selectors import course_index

# The owner opens a pending course read-only, to withdraw it; an approved one waits, untouched, to go live.
OWNER_OPENS = OWNER_EDITABLE | {CourseStatus.PENDING}


class MyCoursesPanel(Component):
    """An instructor's own courses grouped by status, each linking to the editor where they may open it."""

    name = "my_courses"
    template_name = "catalog/cms/my_courses_panel.html"
    order = 100

    def get_context_data(self, parent_context):
        user = parent_context["request"].user
        courses = CoursePage.objects.filter(owner=user).select_related("lifecycle").order_by("draft_title")
        groups = {status: [] for status in CourseStatus}
        for course in courses:
            groups[course.lifecycle.status].append(course)
        index = course_index()
        return {
            "add_course_url": index
            and reverse("wagtailadmin_pages:add", args=["catalog", "coursepage", index.pk]),
            "groups": [
                {"status": status, "courses": listed, "can_open": status in OWNER_OPENS}
                for status, listed in groups.items()
                if listed
            ],
        }


class CourseReviewQueuePanel(Component):
    """For admins: courses and changes to published courses waiting for a review, then approved courses
    waiting to be published."""

    name = "course_review_queue"
    template_name = "catalog/cms/course_review_queue_panel.html"
    order = 90

    def get_context_data(self, parent_context):
        courses = list(
            CoursePage.objects.filter(
                Q(lifecycle__status__in=[CourseStatus.PENDING, CourseStatus.APPROVED])
                | Q(lifecycle__change_status=ChangeStatus.PENDING)
            )
            .select_related("lifecycle__submitted_by", "lifecycle__reviewed_by")
            .order_by("lifecycle__submitted_at", "pk")
        )
        return {
            "pending": [course for course in courses if course.lifecycle.under_review],
            "approved": [course for course in courses if course.lifecycle.status == CourseStatus.APPROVED],
        }
