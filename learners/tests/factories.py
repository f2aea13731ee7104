"""Learners' test data: published courses to study, reached through the real services."""

from catalog.models import CoursePage, CourseStatus, LessonPage
from catalog.tests.factories import course_in

from ..demo import quiz_answers
from ..selectors import live_lessons

__all__ = ["lessons_of", "published_course", "quiz_answers"]


def published_course(*, admin, **kwargs) -> CoursePage:
    return course_in(CourseStatus.PUBLISHED, admin=admin, **kwargs)


def lessons_of(course: CoursePage) -> list[LessonPage]:
    return list(live_lessons(course))
