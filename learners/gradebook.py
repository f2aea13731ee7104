"""Grades by student and graded item: for quizzes the best score, for assignments the latest attempt's grade.

A course's gradebook (its instructor and admins, on the CMS dashboard, as CSV/XLSX and through the API)
and a student's own grades (My learning, the API) are both read here, in a fixed number of queries
whatever the number of students, items and attempts.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.db.models import Count, Max, Q
from django.utils.translation import gettext_lazy as _

from catalog.models import CoursePage, LessonPage, LessonType

from .models import Enrollment, QuizAttempt, Submission
from .selectors import assignment_rules, live_lessons

GRADED_TYPES = [LessonType.QUIZ, LessonType.ASSIGNMENT]


class GradeStatus(models.TextChoices):
    NOT_ATTEMPTED = "not_attempted", _("Not attempted")
    AWAITING_GRADING = "awaiting_grading", _("Awaiting grading")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Not passed")


@dataclass(frozen=True)
class Grade:
    """One student's standing on one graded lesson."""

    lesson: LessonPage
    status: str = GradeStatus.NOT_ATTEMPTED
    attempts: int = 0
    score: Decimal | None = None  # quizzes: the best score, in percent
    points: Decimal | None = None  # assignments graded in points
    max_points: int | None = None
    feedback: str = ""

    @property
    def kind(self) -> str:
        return self.lesson.lesson_type

    def get_status_display(self) -> str:
        return GradeStatus(self.status).label


@dataclass(frozen=True)
class GradebookRow:
    enrollment: Enrollment
    grades: list[Grade] = field(default_factory=list)


def graded_lessons(lessons: Iterable[LessonPage]) -> list[LessonPage]:
    return [lesson for lesson in lessons if lesson.lesson_type in GRADED_TYPES]


def grades_of(lessons_of: dict) -> dict:
    """Enrolment id -> its Grades, one per graded lesson among `lessons_of[enrolment id]`: two queries."""
    items = {enrollment_id: graded_lessons(lessons) for enrollment_id, lessons in lessons_of.items()}
    lesson_ids = {lesson.pk for lessons in items.values() for lesson in lessons}
    if not lesson_ids:
        return {enrollment_id: [] for enrollment_id in items}
    found = {**_quiz_grades(items, lesson_ids), **_assignment_grades(items, lesson_ids)}
    return {
        enrollment_id: [found.get((enrollment_id, lesson.pk), Grade(lesson)) for lesson in lessons]
        for enrollment_id, lessons in items.items()
    }


def _quiz_grades(items: dict, lesson_ids: set[int]) -> dict:
    lessons = {lesson.pk: lesson for each in items.values() for lesson in each}
    rows = (
        QuizAttempt.objects.filter(enrollment_id__in=items, lesson_id__in=lesson_ids)
        .values("enrollment_id", "lesson_id")
        .annotate(best=Max("score"), attempts=Count("pk"), passes=Count("pk", filter=Q(passed=True)))
        .order_by()
    )
    return {
        (row["enrollment_id"], row["lesson_id"]): Grade(
            lessons[row["lesson_id"]],
            GradeStatus.PASSED if row["passes"] else GradeStatus.FAILED,
            attempts=row["attempts"],
            score=row["best"],
        )
        for row in rows
    }


ATTEMPT_STATUS = {
    Submission.Status.SUBMITTED: GradeStatus.AWAITING_GRADING,
    Submission.Status.PASSED: GradeStatus.PASSED,
    Submission.Status.FAILED: GradeStatus.FAILED,
}


def _assignment_grades(items: dict, lesson_ids: set[int]) -> dict:
    """The latest attempt that is not replaced decides; every attempt counts."""
    lessons = {lesson.pk: lesson for each in items.values() for lesson in each}
    rows = (
        Submission.objects.filter(enrollment_id__in=items, lesson_id__in=lesson_ids)
        .order_by("number")
        .values_list("enrollment_id", "lesson_id", "status", "points", "max_points", "feedback")
    )
    attempts, latest = defaultdict(int), {}
    for enrollment_id, lesson_id, status, points, max_points, feedback in rows:
        key = (enrollment_id, lesson_id)
        attempts[key] += 1
        if status != Submission.Status.SUPERSEDED:
            latest[key] = (status, points, max_points, feedback)
    return {
        key: Grade(
            lessons[key[1]],
            ATTEMPT_STATUS[status],
            attempts=attempts[key],
            points=points,
            max_points=max_points,
            feedback=feedback,
        )
        for key, (status, points, max_points, feedback) in latest.items()
    }


@dataclass(frozen=True)
class GradedItem:
    """A column of a course's gradebook."""

    lesson: LessonPage
    grading: str  # "percent" (quizzes), "pass_fail" or "points" (assignments)
    max_points: int | None = None


def graded_items(course: CoursePage) -> list[GradedItem]:
    """The course's live quizzes and assignments in outline order: one query."""
    items = []
    for lesson in live_lessons(course).filter(lesson_type__in=GRADED_TYPES):
        rules = assignment_rules(lesson)
        if rules is None:
            items.append(GradedItem(lesson, "percent"))
        else:
            items.append(GradedItem(lesson, rules.grading, rules.max_points if rules.by_points else None))
    return items


def course_enrollments(course: CoursePage):
    """The course's students, by name, for its gradebook."""
    return (
        Enrollment.objects.filter(course=course)
        .select_related("student")
        .order_by("student__last_name", "student__first_name", "student__email", "pk")
    )


def gradebook(items: list[GradedItem], enrollments: Iterable[Enrollment]) -> list[GradebookRow]:
    """A row per enrolment, its grades in the items' order: two queries."""
    enrollments = list(enrollments)
    lessons = [item.lesson for item in items]
    grades = grades_of({enrollment.pk: lessons for enrollment in enrollments})
    return [GradebookRow(enrollment, grades[enrollment.pk]) for enrollment in enrollments]
