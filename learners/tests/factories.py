"""Learners' test data: published courses to study, reached through the real services."""

from catalog.models import CoursePage, CourseStatus, LessonPage
from catalog.tests.factories import course_in


def published_course(*, admin, **kwargs) -> CoursePage:
    return course_in(CourseStatus.PUBLISHED, admin=admin, **kwargs)


def lessons_of(course: CoursePage) -> list[LessonPage]:
    return list(LessonPage.objects.descendant_of(course).live().order_by("path"))


def quiz_answers(lesson: LessonPage, *, right: bool = True) -> dict:
    """Answers to every question of a quiz lesson: all right, or all wrong."""
    answers = {}
    for question in lesson.quiz["questions"].bound_blocks:
        choices = question.value["choices"].bound_blocks
        picked = [choice.id for choice in choices if choice.value["correct"] is right]
        answers[question.id] = picked if question.value["multiple"] else picked[0]
    return answers
