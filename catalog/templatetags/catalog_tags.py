"""Tags for the catalog's templates: the catalog's address, and formats."""

from urllib.parse import urlsplit

from django import template
from django.utils.translation import gettext as _

from .. import cms_outline, selectors

register = template.Library()

LESSON_ICONS = {"video": "▶", "text": "¶", "quiz": "?", "assignment": "✎", "resource": "⤓"}
# Files a browser's <video> element plays; anything else is a page on a video host, linked to.
VIDEO_FILE_EXTENSIONS = (".mp4", ".m4v", ".webm", ".ogv", ".ogg", ".mov")


@register.simple_tag
def add_lesson_url(section_id: int, lesson_type: str) -> str:
    return cms_outline.add_lesson_url(section_id, lesson_type)


@register.simple_tag(takes_context=True)
def catalog_url(context) -> str:
    """The catalog page's URL, or "" while there is none; looked up once per request (nav, breadcrumbs)."""
    request = context.get("request")
    url = getattr(request, "catalog_url", None)
    if url is None:
        index = selectors.course_index()
        url = index.get_url(request) if index else ""
        if request is not None:
            request.catalog_url = url
    return url


@register.filter
def duration(minutes) -> str:
    hours, minutes = divmod(int(minutes or 0), 60)
    if hours and minutes:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    if hours:
        return _("%(hours)d h") % {"hours": hours}
    return _("%(minutes)d min") % {"minutes": minutes}


@register.filter
def lesson_icon(lesson_type: str) -> str:
    return LESSON_ICONS.get(lesson_type, "•")


@register.filter
def is_video_file(url: str) -> bool:
    return urlsplit(url or "").path.lower().endswith(VIDEO_FILE_EXTENSIONS)
