"""`?ordering=`, read the same way on every list: comma-separated names, `-` to reverse, nothing else."""

from collections.abc import Mapping

from django.utils.translation import gettext as _

from lms_site.errors import ValidationFailed


def ordering_lookups(value: str, fields: Mapping[str, str]) -> list[str]:
    """The model lookups `value` asks for; an unknown name is refused rather than ignored."""
    lookups = []
    for term in value.split(","):
        term = term.strip()
        lookup = fields.get(term.removeprefix("-"))
        if lookup is None:
            message = _("Order by one of %(fields)s.") % {"fields": ", ".join(fields)}
            raise ValidationFailed(details={"ordering": [message]})
        lookups.append(f"-{lookup}" if term.startswith("-") else lookup)
    return lookups


def ordering_parameter_schema(names) -> dict:
    """The query parameter's schema: a pattern of exactly what `ordering_lookups` takes."""
    name = "-?(" + "|".join(names) + ")"
    return {"type": "string", "pattern": f"^{name}(,{name})*$"}


def ordering_description(names) -> str:
    return _("Comma-separated; prefix `-` to reverse: %(fields)s.") % {"fields": ", ".join(names)}
