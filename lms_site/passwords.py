from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """Require upper case, lower case and a digit: the platform's password policy."""

    def validate(self, password, user=None):
        missing = []
        if not any(c.isupper() for c in password):
            missing.append(_("an upper-case letter"))
        if not any(c.islower() for c in password):
            missing.append(_("a lower-case letter"))
        if not any(c.isdigit() for c in password):
            missing.append(_("a digit"))
        if missing:
            raise ValidationError(
                _("The password must contain %(missing)s.") % {"missing": _enumerate(missing)},
                code="password_character_classes",
            )

    def get_help_text(self):
        return _("Your password must contain an upper-case letter, a lower-case letter and a digit.")


def _enumerate(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}
