"""Counts shown beside the unfold sidebar items (see UNFOLD["SIDEBAR"] in config/settings/unfold.py)."""

from .models import Submission


def work_awaiting_grading(request) -> int | None:
    """Handed-in work not graded yet; None hides the badge when nothing waits."""
    return Submission.objects.filter(status=Submission.Status.SUBMITTED).count() or None
