"""Learners' test data: published courses to study, reached through the real services."""

from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.models import CoursePage, CourseStatus, LessonPage
from catalog.tests.factories import course_in

from .. import services
from ..demo import quiz_answers
from ..models import Submission
from ..selectors import live_lessons

__all__ = [
    "assignment_rules",
    "first_lesson_done",
    "handed_in",
    "lessons_of",
    "published_course",
    "quiz_answers",
    "reviewed",
    "upload",
]


def published_course(*, admin, **kwargs) -> CoursePage:
    return course_in(CourseStatus.PUBLISHED, admin=admin, **kwargs)


def lessons_of(course: CoursePage) -> list[LessonPage]:
    return list(live_lessons(course))


def assignment_rules(lesson: LessonPage, **settings) -> LessonPage:
    """The assignment lesson with these settings of its block (grading, due_at, file_types, ...), written
    straight to the live page, as an approved change would leave it."""
    [block] = lesson.body.raw_data
    lesson.body = [{**block, "value": {**block["value"], **settings}}]
    lesson.save(clean=False)
    return LessonPage.objects.get(pk=lesson.pk)


def upload(name: str = "essay.pdf", content: bytes = b"%PDF-1.4 my essay") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def handed_in(student, lesson: LessonPage, text: str = "My essay.", **work) -> Submission:
    """The student's work on an assignment lesson, through the service."""
    return services.submission_create(student=student, lesson=lesson, text=text, **work)[0]


def first_lesson_done(student, course: CoursePage) -> None:
    """The course's first lesson completed by the student (a quiz passed), as reviewing asks."""
    lesson = lessons_of(course)[0]
    if lesson.quiz is None:
        services.lesson_complete(student=student, lesson=lesson)
    else:
        services.quiz_attempt_submit(student=student, lesson=lesson, answers=quiz_answers(lesson))


def reviewed(*, student, course: CoursePage, **review):
    """A review by a student who has done what reviewing asks: completed a lesson."""
    first_lesson_done(student, course)
    return services.review_create(student=student, course=course, **review)
