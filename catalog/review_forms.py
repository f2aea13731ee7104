"""The reason an admin gives when rejecting a course in the CMS review workflow."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.forms import TaskStateCommentForm

__all__ = ["RejectionForm", "TaskStateCommentForm"]


class RejectionForm(TaskStateCommentForm):
    comment = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent to the instructor, who revises the course and submits it again."),
    )
