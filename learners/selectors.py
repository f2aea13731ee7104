"""Reads about learning: enrolment checks, lesson order and locks, progress, a student's dashboard."""

import itertools

from django.db.models import Prefetch

from catalog.models import CoursePage, LessonPage

from .models import Enrollment, LessonProgress


def is_enrolled(user, course) -> bool:
    """Registered with catalog.access, which asks it before showing a lesson body."""
    return Enrollment.objects.filter(student_id=user.pk, course_id=course.pk).exists()


def enrollment_of(user, course) -> Enrollment | None:
    if not user.is_authenticated:
        return None
    return Enrollment.objects.filter(student=user, course=course).first()


def live_lessons(course: CoursePage):
    """The lessons students study, in outline order (tree order)."""
    return LessonPage.objects.descendant_of(course).live().order_by("path")


def completed_lesson_ids(enrollment: Enrollment) -> set[int]:
    return set(
        enrollment.lesson_progress.filter(status=LessonProgress.Status.COMPLETED).values_list(
            "lesson_id", flat=True
        )
    )


def locked_lesson_ids(course: CoursePage, lessons: list[LessonPage], completed: set[int]) -> set[int]:
    """In a sequential course a lesson opens once the one before it is complete.

    The first lesson and preview lessons are always open.
    """
    if not course.is_sequential:
        return set()
    locked = set()
    for previous, lesson in itertools.pairwise(lessons):
        if not lesson.is_preview and previous.pk not in completed:
            locked.add(lesson.pk)
    return locked


def enrollments_for(user, *, course_id=None, student_id=None):
    """Own enrolments; admins see everyone's and may filter."""
    enrollments = Enrollment.objects.select_related(
        "course__owner",
        "course__category",
        "course__lifecycle",
        "course__stats",
        "course__thumbnail",
        "student",
        "certificate",
    )
    if getattr(user, "role", None) != "admin":
        enrollments = enrollments.filter(student=user)
    if course_id:
        enrollments = enrollments.filter(course_id=course_id)
    if student_id:
        enrollments = enrollments.filter(student_id=student_id)
    return enrollments


def enrollment_with_progress(enrollment_qs):
    return enrollment_qs.prefetch_related(
        Prefetch("lesson_progress", queryset=LessonProgress.objects.select_related("lesson"))
    )
