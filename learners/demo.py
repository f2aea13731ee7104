"""Demo learning: the demo students in the published demo courses, at every stage, and their handed-in work
in every state (awaiting a grade, replaced, passed, failed, late).

Built through the services, as students, instructors and an admin would, so counters, grades,
certificates and ratings follow every rule. Each (student, course) is seeded once: a second run finds
the enrolment and leaves it alone. Runs after lms_site.demo and catalog.demo (settings.DEMO_SEEDERS).
"""

from dataclasses import dataclass

from django.core.files.base import ContentFile

from catalog.models import CoursePage, LessonType
from lms_site.models import User

from . import selectors, services
from .models import Enrollment

COMPLETED, HALF_WAY, JUST_STARTED = "completed", "half way", "just started"
# What becomes of each attempt at an assignment: graded, left awaiting a grade, or replaced by the next.
PASSED, FAILED, AWAITING, REPLACED = "passed", "failed", "awaiting", "replaced"
POINTS = {PASSED: 8, FAILED: 4}  # the demo assignments pass from 6 out of 10
FEEDBACK = {
    PASSED: "Clear and working. Next time, add a short test for the edge cases.",
    FAILED: "A good start, but the tool does not run yet: add the missing file and say how to run it.",
}


@dataclass(frozen=True)
class Study:
    student: str
    course: str
    stage: str
    granted: bool = False  # a paid course: an admin grants the enrolment
    rating: int | None = None
    comment: str = ""
    work: tuple[tuple[str, ...], ...] = ()  # per assignment reached, in order: each attempt's fate


STUDIES = [
    Study(
        "student@example.com",
        "Python from zero",
        COMPLETED,
        rating=5,
        comment="Clear steps, and the quiz made me check I had really understood.",
        work=((FAILED, PASSED), (PASSED,)),  # the second project was handed in after its due date
    ),
    Study(
        "student@example.com",
        "Photography fundamentals",
        HALF_WAY,
        granted=True,
        rating=4,
        comment="Good exercises; I would like more examples of night shots.",
        work=((PASSED,),),
    ),
    Study("student@example.com", "Public speaking", JUST_STARTED),
    Study("student2@example.com", "Python from zero", HALF_WAY, work=((REPLACED, AWAITING),)),
    Study(
        "student2@example.com",
        "Public speaking",
        HALF_WAY,
        rating=2,
        comment="Useful ideas, but the videos are too long.",
        work=((FAILED,),),
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
        _study(student, course, study)
        if study.rating:
            services.review_create(student=student, course=course, rating=study.rating, comment=study.comment)
        enrollment = Enrollment.objects.get(pk=enrollment.pk)
        stdout.write(f"  {study.student} in '{study.course}': {enrollment.progress_percentage}%")


def _study(student, course, study: Study) -> None:
    """Completed: every lesson, failing the first quiz once before passing it. Half way: the first half
    of the lessons. Just started: the first lesson, a video watched to the end. Assignments go as
    `study.work` says; in a sequential course the lessons after one not passed yet stay locked."""
    lessons = list(selectors.live_lessons(course))
    if study.stage == JUST_STARTED:
        services.progress_record(student=student, lesson=lessons[0], position_seconds=300)
        lessons = lessons[:1]
    elif study.stage == HALF_WAY:
        lessons = lessons[: len(lessons) // 2]
    failed_once = study.stage != COMPLETED
    work = iter(study.work)
    for lesson in lessons:
        if lesson.lesson_type == LessonType.ASSIGNMENT:
            if not _hand_in(student, lesson, next(work)) and course.is_sequential:
                return
        elif lesson.quiz is None:
            services.lesson_complete(student=student, lesson=lesson)
        else:
            if not failed_once:
                services.quiz_attempt_submit(
                    student=student, lesson=lesson, answers=quiz_answers(lesson, right=False)
                )
                failed_once = True
            services.quiz_attempt_submit(student=student, lesson=lesson, answers=quiz_answers(lesson))


def _hand_in(student, lesson, fates: tuple[str, ...]) -> bool:
    """Hand in an attempt per fate, the course's instructor grading those graded; True once one passed."""
    grader = lesson.course.owner
    for number, fate in enumerate(fates, 1):
        submission, _new = services.submission_create(
            student=student,
            lesson=lesson,
            text=f"Attempt {number}: a command-line tool that renames my holiday photos by date.",
            link="https://example.com/demo/photo-renamer",
            files=[ContentFile(f"# Photo renamer, attempt {number}\n".encode(), name="README.md")],
        )
        if fate in POINTS:
            services.submission_grade(
                submission=submission, grader=grader, points=POINTS[fate], feedback=FEEDBACK[fate]
            )
    return fates[-1] == PASSED


def quiz_answers(lesson, *, right: bool = True) -> dict:
    """Answers to every question of a quiz lesson: all right, or all wrong (the tests use it too)."""
    answers = {}
    for question in lesson.quiz["questions"].bound_blocks:
        choices = question.value["choices"].bound_blocks
        picked = [choice.id for choice in choices if choice.value["correct"] is right]
        answers[question.id] = picked if question.value["multiple"] else picked[0]
    return answers
