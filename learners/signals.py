"""Learners' side of what happens to a course elsewhere (catalog cannot import learners)."""

from django.dispatch import receiver
from wagtail.signals import page_unpublished

from catalog.models import CoursePage

from . import services


@receiver(page_unpublished, sender=CoursePage)
def tell_students_the_course_is_unavailable(sender, instance, **kwargs):
    """Unpublished from /admin/, /cms/ or the API: every path ends here, so the students hear once."""
    services.course_unavailable_tell(course=instance)
