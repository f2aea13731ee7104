"""The CMS's image form: Wagtail's, refusing a file no image library can read instead of failing on it.

Wagtail recognises an image by its first bytes and reads its size only later; a file that starts like
a PNG but holds nothing readable escapes that check with Pillow's own error (a 500 for the uploader).
"""

from django.core.exceptions import ValidationError
from PIL import UnidentifiedImageError
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

# What Pillow raises for a file it cannot decode, besides its own UnidentifiedImageError.
UNREADABLE = (UnidentifiedImageError, OSError, SyntaxError, ValueError)


class ReadableImageField(WagtailImageField):
    def check_image_pixel_size(self, f):
        try:
            super().check_image_pixel_size(f)
        except UNREADABLE as error:
            raise ValidationError(self.error_messages["invalid_image"], code="invalid_image") from error


class ImageForm(BaseImageForm):
    """WAGTAILIMAGES_IMAGE_FORM_BASE: the file field reads the image before the form accepts it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if isinstance(uploaded := self.fields.get("file"), WagtailImageField):
            self.fields["file"] = ReadableImageField(
                label=uploaded.label, required=uploaded.required, widget=uploaded.widget
            )
