"""Questions the moderation queue asks before a course changes state (see catalog.admin)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from unfold.forms import BaseDialogForm
from unfold.widgets import UnfoldAdminSplitDateTimeWidget

from lms_site.admin_forms import RejectionForm


class CourseRejectionForm(RejectionForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = _("Sent to the course's instructor.")


class PublicationForm(BaseDialogForm):
    go_live_at = forms.SplitDateTimeField(
        label=_("Go live at"),
        required=False,
        help_text=_("Leave empty to publish now; a later time schedules the course."),
        widget=UnfoldAdminSplitDateTimeWidget,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The times typed are read in the site's time zone: name it, so nobody schedules an hour off.
        zone = timezone.get_current_timezone_name()
        field = self.fields["go_live_at"]
        field.label = _("Go live at (%(zone)s)") % {"zone": zone}
        field.help_text = _(
            "Pick a date and a time in %(zone)s. Leave both empty to publish now; a later time schedules "
            "the course."
        ) % {"zone": zone}

    def clean_go_live_at(self):
        go_live_at = self.cleaned_data["go_live_at"]
        if go_live_at is not None and go_live_at <= timezone.now():
            raise ValidationError(_("Choose a time in the future, or leave it empty to publish now."))
        return go_live_at
