"""Counts shown beside the unfold sidebar items (see UNFOLD["SIDEBAR"] in config/settings/unfold.py)."""

from .models import CourseLifecycle
from .models.lifecycle import UNDER_REVIEW


def pending_course_reviews(request) -> int | None:
    """Courses and changes waiting for a decision; None hides the badge when nothing waits."""
    return CourseLifecycle.objects.filter(UNDER_REVIEW).count() or None
