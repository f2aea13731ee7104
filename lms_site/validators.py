"""Checks of uploaded files, attached to the model fields so every way in applies them alike (the
profile page, `PATCH /api/v1/me/`, the admin panel)."""

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image

MAX_AVATAR_BYTES = 2 * 1024 * 1024
# What every browser shows in an <img>.
AVATAR_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}


def validate_avatar(file) -> None:
    """At most MAX_AVATAR_BYTES, and an image in one of AVATAR_FORMATS."""
    if getattr(file, "_committed", False):
        return  # a stored picture was checked when it was uploaded; a model save re-validates it
    if file.size > MAX_AVATAR_BYTES:
        raise ValidationError(
            _("Choose an image of at most %(size)s."),
            code="file_too_large",
            params={"size": filesizeformat(MAX_AVATAR_BYTES)},
        )
    if _image_format(file) not in AVATAR_FORMATS:
        raise ValidationError(
            _("Upload a JPEG, PNG, GIF or WebP image."),
            code="unsupported_image",
        )


def _image_format(file) -> str | None:
    """The format Pillow reads in the file, or None for anything it cannot read as an image."""
    file.seek(0)
    try:
        with Image.open(file) as image:
            image.verify()
            return image.format
    except Exception:  # Pillow's refusals have many types (corrupt, truncated, too many pixels, ...)
        return None
    finally:
        file.seek(0)
