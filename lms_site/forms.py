"""Forms of the site's own account pages; what they collect is written by lms_site.services."""

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .models import User

MAX_AVATAR_BYTES = 2 * 1024 * 1024
# As the instructor requests API accepts them.
MAX_LINKS = 10
MAX_LINK_LENGTH = 500


def check_avatar_size(avatar) -> None:
    """The site's profile page and the API take avatars up to the same size."""
    if avatar.size > MAX_AVATAR_BYTES:
        raise ValidationError(
            _("Choose an image of at most %(size)s.") % {"size": filesizeformat(MAX_AVATAR_BYTES)}
        )


class ProfileForm(forms.ModelForm):
    """The profile fields only: email, password and role have their own, guarded ways."""

    class Meta:
        model = User
        fields = ("first_name", "last_name", "phone", "bio", "avatar")
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
            "bio": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {"bio": _("A few words about yourself, shown with the courses you teach.")}

    def clean_avatar(self):
        avatar = self.cleaned_data["avatar"]
        if avatar and "avatar" in self.changed_data:
            check_avatar_size(avatar)
        return avatar

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
