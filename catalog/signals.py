"""Wagtail's moderation and publishing signals, answered by the lifecycle services.

The services drive Wagtail's workflow themselves, so each handler first looks whether the course
is already where the signal would take it; only actions begun in the CMS get through.
"""

from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, workflow_cancelled, workflow_submitted

from . import page_cache, services
from .models import CoursePage, LessonPage, SectionPage


def _course(workflow_state):
    page = workflow_state.content_object
    return page.specific if issubclass(page.specific_class, CoursePage) else None


@receiver(workflow_submitted)
def submit_from_cms(sender, instance, user, **kwargs):
    course = _course(instance)
    if course is not None and course.lifecycle.awaits_submission:
        services.course_submit(course=course, user=user)


@receiver(workflow_cancelled)
def withdraw_from_cms(sender, instance, user, **kwargs):
    course = _course(instance)
    if course is not None and course.lifecycle.under_review:
        services.course_withdraw(course=course, user=user)


@receiver(page_published)
def keep_live_pages_in_step(sender, instance, **kwargs):
    # Wagtail sends this when it schedules a page too; only a live page has gone live.
    if instance.live and isinstance(instance, CoursePage | SectionPage | LessonPage):
        services.course_page_went_live(page=instance)


@receiver(page_published)
@receiver(page_unpublished)
def refresh_cached_pages(sender, instance, **kwargs):
    """Whatever goes live or leaves changes the course's page and the catalog listing it."""
    if isinstance(instance, CoursePage):
        page_cache.invalidate_course(instance.pk)
    elif isinstance(instance, SectionPage | LessonPage):
        page_cache.invalidate_course(instance.course.pk)
