"""Forms of the people admin: adding a student, and the questions asked before a role or access change."""

from django import forms
from django.contrib.auth.forms import BaseUserCreationForm
from django.utils.translation import gettext_lazy as _
from unfold.forms import BaseDialogForm
from unfold.widgets import UnfoldAdminPasswordWidget, UnfoldAdminSelectWidget, UnfoldAdminTextareaWidget

from . import services
from .models import Role, User

# The hidden field BaseDialogForm adds; its presence tells a filled-in form from a first visit.
FORM_SUBMITTED = "_form_submitted"


class StudentCreationForm(BaseUserCreationForm):
    """Email and password only: an account made here starts as a student, as one made by sign-up does."""

    class Meta:
        model = User
        fields = ("email",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("password1", "password2"):
            self.fields[name].widget = UnfoldAdminPasswordWidget(attrs={"autocomplete": "new-password"})

    def create_student(self) -> User:
        user = User.objects.create_user(self.cleaned_data["email"], self.cleaned_data["password1"])
        return services.user_sync_role(user=user)


class ReasonForm(BaseDialogForm):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        help_text=_("Kept with the record of this change."),
        widget=UnfoldAdminTextareaWidget(attrs={"rows": 3}),
    )


class RejectionForm(ReasonForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = True
        self.fields["reason"].help_text = _("Sent to the applicant.")


class RoleChangeForm(ReasonForm):
    role = forms.ChoiceField(
        label=_("New role"), choices=[("", _("Choose a role")), *Role.choices], widget=UnfoldAdminSelectWidget
    )

    field_order = ["role", "reason"]
