"""Questions the learning admin asks before granting enrolments or grading work (see learners.admin)."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from unfold.forms import BaseDialogForm
from unfold.widgets import (
    UnfoldAdminDecimalFieldWidget,
    UnfoldAdminRadioSelectWidget,
    UnfoldAdminSelectWidget,
    UnfoldAdminTextareaWidget,
)

from catalog.models import CoursePage
from lms_site.models import User

from .forms import GradeFields
from .models import Submission
from .selectors import assignment_rules

SEPARATORS = re.compile(r"[\s,;]+")


class GrantForm(BaseDialogForm):
    """Who (one address or many) and which published course; the grant itself is the service's."""

    students = forms.CharField(
        label=_("Students"),
        help_text=_("Email addresses of existing accounts, separated by commas or new lines."),
        widget=UnfoldAdminTextareaWidget(attrs={"rows": 4}),
    )
    course = forms.ModelChoiceField(
        label=_("Course"),
        queryset=CoursePage.objects.none(),
        empty_label=_("Choose a published course"),
        widget=UnfoldAdminSelectWidget,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = CoursePage.objects.in_catalog().order_by("title")

    def clean_students(self) -> list[User]:
        emails = list(dict.fromkeys(filter(None, SEPARATORS.split(self.cleaned_data["students"].lower()))))
        if not emails:
            raise ValidationError(_("Give at least one email address."))
        if invalid := [email for email in emails if not _is_email(email)]:
            raise ValidationError(_("Not an email address: %(emails)s.") % {"emails": ", ".join(invalid)})
        users = {user.key: user for user in User.objects.annotate(key=Lower("email")).filter(key__in=emails)}
        if unknown := [email for email in emails if email not in users]:
            raise ValidationError(_("No account with: %(emails)s.") % {"emails": ", ".join(unknown)})
        return [users[email] for email in emails]


def _is_email(text: str) -> bool:
    try:
        validate_email(text)
    except ValidationError:
        return False
    return True


class GradeDialogForm(GradeFields, BaseDialogForm):
    """The grade of the attempt the dialog is opened on, as its assignment grades it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        submission = Submission.objects.select_related("lesson").filter(pk=self.object_id).first()
        self.for_rules(submission and assignment_rules(submission.lesson))
        widgets = {
            "passed": UnfoldAdminRadioSelectWidget(),
            "points": UnfoldAdminDecimalFieldWidget(),
            "feedback": UnfoldAdminTextareaWidget(attrs={"rows": 6}),
        }
        for name, field in self.fields.items():
            field.widget = widgets.get(name, field.widget)
        if "passed" in self.fields:
            self.fields["passed"].widget.choices = self.fields["passed"].choices
