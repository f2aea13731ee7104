"""Reads about learning: enrolment checks, lesson order and locks, progress, a student's dashboard, and who
sees and grades handed-in work."""

import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property, reduce
from operator import or_

from django.db.models import Count, F, Prefetch, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalog.blocks import file_types
from catalog.models import CoursePage, LessonPage
from catalog.permissions import is_admin, owns
from lms_site.models import Role

from .models import Enrollment, LessonProgress, QuizAttempt, Review, Submission

LATEST_REVIEWS = 10


def is_enrolled(user, course) -> bool:
    """Registered with catalog.access, which asks it before showing a lesson body."""
    return Enrollment.objects.filter(student_id=user.pk, course_id=course.pk).exists()


def has_completed_a_lesson(user, course) -> bool:
    done = LessonProgress.objects.filter(status=LessonProgress.Status.COMPLETED)
    return done.filter(enrollment__student_id=user.pk, enrollment__course_id=course.pk).exists()


def enrollment_of(user, course) -> Enrollment | None:
    if not user.is_authenticated:
        return None
    return (
        Enrollment.objects.select_related("certificate", "course").filter(student=user, course=course).first()
    )


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


@dataclass(frozen=True)
class Study:
    """Where a student stands in one course: what is done, what is locked, where to carry on."""

    enrollment: Enrollment
    lessons: list[LessonPage]  # live, in outline order
    completed: set[int] = field(default_factory=set)
    visited_at: dict[int, datetime] = field(default_factory=dict)  # lesson id -> last opened
    grades: list = field(default_factory=list)  # learners.gradebook.Grade, where the page shows them

    @cached_property
    def locked(self) -> set[int]:
        return locked_lesson_ids(self.enrollment.course, self.lessons, self.completed)

    def locked_by(self, lesson: LessonPage) -> LessonPage | None:
        """The lesson to complete before `lesson` opens, or None."""
        return self.lesson_before(lesson) if lesson.pk in self.locked else None

    def lesson_before(self, lesson: LessonPage) -> LessonPage | None:
        ids = [each.pk for each in self.lessons]
        index = ids.index(lesson.pk) if lesson.pk in ids else 0
        return self.lessons[index - 1] if index > 0 else None

    @cached_property
    def next_lesson(self) -> LessonPage | None:
        """The first lesson not done, from the one last opened on; None once all are done."""
        if not self.lessons:
            return None
        last = max(self.visited_at, key=self.visited_at.get, default=None)
        start = next((i for i, lesson in enumerate(self.lessons) if lesson.pk == last), 0)
        ordered = self.lessons[start:] + self.lessons[:start]
        return next((lesson for lesson in ordered if lesson.pk not in self.completed), None)


def lesson_locked_by(user, lesson: LessonPage) -> LessonPage | None:
    """Registered with catalog.access, whose lock rule asks it: the lesson `user` must complete before
    `lesson` opens in a sequential course they study, or None. No query for other courses."""
    if not lesson.course.is_sequential:
        return None
    enrollment = enrollment_of(user, lesson.course)
    return None if enrollment is None else study_of(enrollment).locked_by(lesson)


def study_of(enrollment: Enrollment) -> Study:
    """Two queries: the course's live lessons and the student's progress in them."""
    return _studies([enrollment])[0]


def dashboard(user) -> list[Study]:
    """The student's courses, last studied first; three queries however many there are."""
    enrollments = list(
        enrollments_for(user)
        .filter(student=user)
        .order_by(F("last_accessed_at").desc(nulls_last=True), "-enrolled_at")
    )
    return _studies(enrollments)


def _studies(enrollments: list[Enrollment]) -> list[Study]:
    if not enrollments:
        return []
    courses = {enrollment.course.path: enrollment.course_id for enrollment in enrollments}
    in_courses = reduce(or_, (Q(path__startswith=path) for path in courses))
    path_lengths = {len(path) for path in courses}
    lessons_of = defaultdict(list)
    for lesson in LessonPage.objects.live().filter(in_courses).defer("body").order_by("path"):
        course_path = next(lesson.path[:n] for n in path_lengths if lesson.path[:n] in courses)
        lessons_of[courses[course_path]].append(lesson)
    completed, visited = defaultdict(set), defaultdict(dict)
    rows = LessonProgress.objects.filter(enrollment__in=enrollments).values_list(
        "enrollment_id", "lesson_id", "status", "last_accessed_at"
    )
    for enrollment_id, lesson_id, status, last_accessed_at in rows:
        visited[enrollment_id][lesson_id] = last_accessed_at
        if status == LessonProgress.Status.COMPLETED:
            completed[enrollment_id].add(lesson_id)
    return [
        Study(
            enrollment,
            lessons_of[enrollment.course_id],
            completed[enrollment.pk],
            visited[enrollment.pk],
        )
        for enrollment in enrollments
    ]


def last_quiz_attempt(enrollment: Enrollment, lesson: LessonPage) -> QuizAttempt | None:
    return QuizAttempt.objects.filter(enrollment=enrollment, lesson=lesson).order_by("-created_at").first()


def latest_reviews(course: CoursePage, *, limit: int = LATEST_REVIEWS):
    reviews = Review.objects.visible().filter(course=course).select_related("student")
    return reviews.order_by("-created_at")[:limit]


def course_roster(course: CoursePage):
    """The course's students with their progress and certificate, for its instructor's export: one query."""
    return (
        Enrollment.objects.filter(course=course)
        .select_related("student", "certificate")
        .annotate(
            lessons_completed=Count(
                "lesson_progress", filter=Q(lesson_progress__status=LessonProgress.Status.COMPLETED)
            )
        )
        .order_by("student__last_name", "student__first_name", "student__email")
    )


# Assignments


@dataclass(frozen=True)
class AssignmentRules:
    """What an assignment lesson's block says about handing in and grading."""

    grading: str  # "pass_fail" or "points"
    max_points: int
    pass_points: int
    due_at: datetime | None
    accept_late: bool
    max_attempts: int | None
    file_types: tuple[str, ...]  # extensions without the dot; none: no files
    max_file_size_mb: int

    @property
    def by_points(self) -> bool:
        return self.grading == "points"

    @property
    def max_file_bytes(self) -> int:
        return self.max_file_size_mb * 1024 * 1024

    @property
    def accept(self) -> str:
        """The file input's `accept` attribute."""
        return ",".join(f".{extension}" for extension in self.file_types)

    def is_late(self, moment: datetime) -> bool:
        return self.due_at is not None and moment > self.due_at


def assignment_rules(lesson: LessonPage) -> AssignmentRules | None:
    """None for a lesson without an assignment block."""
    value = lesson.assignment
    if value is None:
        return None
    due_at = value["due_at"]
    if due_at is not None and timezone.is_naive(due_at):  # written through the API without an offset
        due_at = timezone.make_aware(due_at)
    return AssignmentRules(
        grading=value["grading"],
        max_points=value["max_points"],
        pass_points=value["pass_points"],
        due_at=due_at,
        accept_late=value["accept_late"],
        max_attempts=value["max_attempts"],
        file_types=tuple(file_types(value["file_types"])),
        max_file_size_mb=value["max_file_size_mb"],
    )


def hand_in_refusal(attempts: list[Submission], rules: AssignmentRules, moment: datetime) -> str | None:
    """Why the student may not hand in (another attempt) now, or None when they may."""
    if any(attempt.status == Submission.Status.PASSED for attempt in attempts):
        return _("Your work on this assignment has passed; there is nothing more to hand in.")
    if rules.max_attempts and len(attempts) >= rules.max_attempts:
        return ngettext(
            "This assignment takes %(count)d attempt, and you have used it.",
            "This assignment takes %(count)d attempts, and you have used them all.",
            rules.max_attempts,
        ) % {"count": rules.max_attempts}
    if rules.is_late(moment) and not rules.accept_late:
        return _("This assignment was due on %(date)s and takes no late work.") % {
            "date": formats.date_format(timezone.localtime(rules.due_at), "DATETIME_FORMAT")
        }
    return None


def can_grade(user, course: CoursePage) -> bool:
    """The course's instructor and admins grade its students' work; nobody else."""
    return user.is_authenticated and (is_admin(user) or owns(user, course))


def _with_details(submissions):
    return submissions.select_related(
        "enrollment__student", "enrollment__course", "lesson", "graded_by"
    ).prefetch_related("files")


def submissions_gradable_by(user):
    """The work in the courses `user` grades: every course for admins, their own for instructors."""
    if not user.is_authenticated:
        return Submission.objects.none()
    if is_admin(user):
        return Submission.objects.all()
    if user.is_active and user.role == Role.INSTRUCTOR:
        return Submission.objects.filter(enrollment__course__owner=user)
    return Submission.objects.none()


def submissions_visible_to(user):
    """Its student, the course's instructor and admins see a piece of work; nobody else."""
    if not user.is_authenticated:
        return Submission.objects.none()
    own = Submission.objects.filter(enrollment__student=user)
    return _with_details(submissions_gradable_by(user) | own)


def lesson_submissions(lesson: LessonPage, user):
    """Every attempt at the lesson for those who grade it; one's own for anyone else. Newest first."""
    submissions = submissions_visible_to(user).filter(lesson=lesson)
    if not can_grade(user, lesson.course):
        submissions = submissions.filter(enrollment__student=user)
    return submissions.order_by("-submitted_at", "-number")


def attempts_of(enrollment: Enrollment, lesson: LessonPage) -> list[Submission]:
    """A student's attempts at an assignment, newest first, with their files: two queries."""
    return list(
        Submission.objects.filter(enrollment=enrollment, lesson=lesson)
        .select_related("graded_by")
        .prefetch_related("files")
        .order_by("-number")
    )


def grading_queue(user):
    """Work awaiting a grade in the courses `user` grades, oldest first."""
    return _with_details(submissions_gradable_by(user).filter(status=Submission.Status.SUBMITTED)).order_by(
        "submitted_at", "pk"
    )


def awaiting_by_course(user) -> list[dict]:
    """{course_id, title, count} of each course with work awaiting a grade, by title: one query."""
    return list(
        submissions_gradable_by(user)
        .filter(status=Submission.Status.SUBMITTED)
        .values(course_id=F("enrollment__course_id"), title=F("enrollment__course__title"))
        .annotate(count=Count("pk"))
        .order_by("title", "course_id")
    )
