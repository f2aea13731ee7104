"""Counts shown beside the unfold sidebar items (see UNFOLD["SIDEBAR"] in config/settings/unfold.py)."""

from .models import CourseLifecycle, CourseStatus


def pending_course_reviews(request) -> int | None:
    """Courses waiting for a decision; None hides the badge when nothing waits."""
    return CourseLifecycle.objects.filter(status=CourseStatus.PENDING).count() or None
