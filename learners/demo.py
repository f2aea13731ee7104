"""Demo learning: the demo students in the published demo courses, at every stage.

Built through the services, as students and an admin would, so counters, certificates and ratings
follow every rule. Each (student, course) is seeded once: a second run finds the enrolment and
leaves it alone. Runs after lms_site.demo and catalog.demo (settings.DEMO_SEEDERS).
"""

from dataclasses import dataclass

from catalog.models import CoursePage
from lms_site.models import User

from . import selectors, services
from .models import Enrollment

COMPLETED, HALF_WAY, JUST_STARTED = "completed", "half way", "just started"


@dataclass(frozen=True)
class Study:
    student: str
    course: str
    stage: str
    granted: bool = False  # a paid course: an admin grants the enrolment
    rating: int | None = None
    comment: str = ""


STUDIES = [
    Study(
        "student@example.com",
        "Python from zero",
        COMPLETED,
        rating=5,
        comment="Clear steps, and the quiz made me check I had really understood.",
    ),
    Study(
        "student@example.com",
        "Photography fundamentals",
        HALF_WAY,
        granted=True,
        rating=4,
        comment="Good exercises; I would like more examples of night shots.",
    ),
    Study("student@example.com", "Public speaking", JUST_STARTED),
    Study("student2@example.com", "Python from zero", JUST_STARTED),
    Study(
        "student2@example.com",
        "Public speaking",
        HALF_WAY,
        rating=2,
        comment="Useful ideas, but the videos are too long.",
    ),
]


def seed(stdout) -> None:
    admin = User.objects.with_email("admin@example.com").get()
    for study in STUDIES:
        student = User.objects.with_email(study.student).get()
        course = CoursePage.objects.in_catalog().get(title=study.course)
        if selectors.is_enrolled(student, course):
            continue
        enrollment = services.enrollment_create(
            student=student, course=course, granted_by=admin if study.granted else None
        )
        _study(student, course, study.stage)
        if study.rating:
            services.review_create(student=student, course=course, rating=study.rating, comment=study.comment)
        enrollment = Enrollment.objects.get(pk=enrollment.pk)
        stdout.write(f"  {study.student} in '{study.course}': {enrollment.progress_percentage}%")


def _study(student, course, stage) -> None:
    """Completed: every lesson, failing the first quiz once before passing it. Half way: the first half
    of the lessons. Just started: the first lesson, a video watched to the end."""
    lessons = list(selectors.live_lessons(course))
    if stage == JUST_STARTED:
        services.progress_record(student=student, lesson=lessons[0], position_seconds=300)
        lessons = lessons[:1]
    elif stage == HALF_WAY:
        lessons = lessons[: len(lessons) // 2]
    failed_once = stage != COMPLETED
    for lesson in lessons:
        if lesson.quiz is None:
            services.lesson_complete(student=student, lesson=lesson)
            continue
        if not failed_once:
            services.quiz_attempt_submit(
                student=student, lesson=lesson, answers=quiz_answers(lesson, right=False)
            )
            failed_once = True
        services.quiz_attempt_submit(student=student, lesson=lesson, answers=quiz_answers(lesson))


def quiz_answers(lesson, *, right: bool = True) -> dict:
    """Answers to every question of a quiz lesson: all right, or all wrong (the tests use it too)."""
    answers = {}
    for question in lesson.quiz["questions"].bound_blocks:
        choices = question.value["choices"].bound_blocks
        picked = [choice.id for choice in choices if choice.value["correct"] is right]
        answers[question.id] = picked if question.value["multiple"] else picked[0]
    return answers
