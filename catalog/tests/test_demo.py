from io import StringIO

import pytest
from django.core.management import call_command

from lms_site.models import InstructorRequest, Role, User

from ..models import CoursePage, CourseStatus, LessonPage, LessonType

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_demo_has_courses_in_every_status_by_two_instructors_and_every_lesson_type():
    seed()
    courses = CoursePage.objects.select_related("lifecycle")
    assert {course.lifecycle.status for course in courses} == set(CourseStatus.values)
    assert courses.values("owner").distinct().count() == 2
    assert set(LessonPage.objects.values_list("lesson_type", flat=True)) == set(LessonType.values)
    published = courses.filter(lifecycle__status=CourseStatus.PUBLISHED)
    assert list(CoursePage.objects.in_catalog().order_by("pk")) == list(published.order_by("pk"))
    assert all(LessonPage.objects.descendant_of(course).not_live().count() == 0 for course in published)


def test_demo_is_idempotent_and_prints_the_accounts():
    seed()
    counts = (User.objects.count(), CoursePage.objects.count(), InstructorRequest.objects.count())
    output = seed()
    assert (User.objects.count(), CoursePage.objects.count(), InstructorRequest.objects.count()) == counts
    assert "LearnDemo2026" in output and "instructor2@example.com" in output
    assert User.objects.filter(role=Role.INSTRUCTOR).count() == 2
