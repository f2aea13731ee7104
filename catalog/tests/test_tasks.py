from datetime import timedelta

import pytest
from django.utils import timezone
from wagtail.models import Revision

from .. import services, tasks
from ..models import CoursePage, CourseStatus
from .factories import course_in

pytestmark = pytest.mark.django_db


def test_beat_task_publishes_a_scheduled_course_when_its_time_comes(admin):
    course = course_in(CourseStatus.APPROVED, admin=admin)
    services.course_publish(course=course, user=admin, go_live_at=timezone.now() + timedelta(hours=1))
    tasks.publish_scheduled.delay()
    assert CoursePage.objects.get(pk=course.pk).lifecycle.status == CourseStatus.APPROVED

    # The hour passes: the scheduled revision's time is now behind us.
    past = timezone.now() - timedelta(minutes=1)
    revision = Revision.objects.get(object_id=str(course.pk), approved_go_live_at__isnull=False)
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])
    tasks.publish_scheduled.delay()

    course = CoursePage.objects.get(pk=course.pk)
    assert course.live and course.lifecycle.status == CourseStatus.PUBLISHED
    assert CoursePage.objects.in_catalog().filter(pk=course.pk).exists()
    assert all(page.live for page in course.get_descendants())
