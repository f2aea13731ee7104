"""Forms of the site's own account pages; what they collect is written by lms_site.services."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import User

# As the instructor requests API accepts them.
MAX_LINKS = 10
MAX_LINK_LENGTH = 500


class NameForm(forms.Form):
    """A person's name as sign-up and the certificate prompt ask for it: first name required, last name
    optional (not everyone has two), as the User model keeps them."""

    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
        help_text=_(
            "Others see your name with your reviews and on your certificates, never your email address."
        ),
    )


class ProfileForm(forms.ModelForm):
    """The profile fields only: email, password and role have their own, guarded ways.

    The avatar is checked by the model field's validator (lms_site.validators), as on every other way in.
    """

    first_name = NameForm.base_fields["first_name"]
    last_name = NameForm.base_fields["last_name"]

    class Meta:
        model = User
        fields = ("first_name", "last_name", "phone", "bio", "avatar")
        widgets = {
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
            "bio": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {"bio": _("A few words about yourself, shown with the courses you teach.")}

    def changes(self) -> dict:
        """The changed fields, as lms_site.services.user_update_profile takes them."""
        # A cleared avatar comes as False; the model stores "no file" as an empty name.
        return {
            name: "" if self.cleaned_data[name] is False else self.cleaned_data[name]
            for name in self.changed_data
        }


class InstructorRequestForm(forms.Form):
    motivation = forms.CharField(
        label=_("Why do you want to teach?"),
        help_text=_("What would you teach, and what experience do you bring?"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    links = forms.CharField(
        label=_("Links"),
        required=False,
        help_text=_("Your website, portfolio or talks: one web address per line."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_links(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        if len(lines) > MAX_LINKS:
            raise ValidationError(_("Give at most %(count)d links.") % {"count": MAX_LINKS})
        url = forms.URLField(max_length=MAX_LINK_LENGTH, assume_scheme="https")
        links, errors = [], []
        for line in lines:
            try:
                links.append(url.clean(line))
            except ValidationError:
                errors.append(_("“%(line)s” is not a web address.") % {"line": line})
        if errors:
            raise ValidationError(errors)
        return links
