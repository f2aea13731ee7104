"""Counts shown beside the unfold sidebar items (see UNFOLD["SIDEBAR"] in config/settings/unfold.py)."""

from .models import InstructorRequest


def pending_instructor_requests(request) -> int | None:
    """None hides the badge when nothing waits."""
    return InstructorRequest.objects.filter(status=InstructorRequest.Status.PENDING).count() or None
