"""Enrolments, reviews and lesson progress from a spreadsheet. Every row is checked before any is written.

Each row is written by the service the site and the API call, so counters, ratings, progress and
certificates follow the same rules; a refusal at write time undoes the whole file and names its row.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from operator import attrgetter
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from catalog.models import CoursePage, LessonPage, LessonType
from lms_site.errors import DomainError, ValidationFailed
from lms_site.imports import ImportRejected, cell_text, check_importer
from lms_site.models import User

from . import selectors, services
from .models import Enrollment, LessonProgress, QuizAttempt, Review

COLUMNS = ("student_email", "course")
REVIEW_COLUMNS = ("student_email", "course", "rating", "comment")
PROGRESS_COLUMNS = ("student_email", "lesson", "status")

Row = Mapping[str, Any]


@dataclass(frozen=True)
class Grant:
    row: int
    student: User
    course: CoursePage


def enrollments_import_check(*, rows: Sequence[Row]) -> list[Grant]:
    """The enrolments the rows ask for, or ImportRejected naming every bad row.

    A course is given by its page id or its slug. Rows are numbered from 1 without the header line,
    as django-import-export numbers them. The queries are the same for ten rows or ten thousand.
    """
    _require_columns(rows, COLUMNS)
    emails = _emails(rows)
    keys = [_cell(row.get("course")) for row in rows]
    students = _students(emails)
    courses_by_id, courses_by_slug = _courses(keys)
    published = set(
        CoursePage.objects.in_catalog()
        .filter(pk__in=[course.pk for course in courses_by_id.values()])
        .values_list("pk", flat=True)
    )
    enrolled = set(
        Enrollment.objects.filter(
            student__in=students.values(), course__in=courses_by_id.values()
        ).values_list("student_id", "course_id")
    )
    first_row_of: dict[tuple, int] = {}
    grants, row_errors = [], {}
    for number, (email, key) in enumerate(zip(emails, keys, strict=True), 1):
        errors = {}
        student = students.get(email)
        if error := _student_problem(email, student):
            errors["student_email"] = [error]
        course, error = _find_course(key, courses_by_id, courses_by_slug, published)
        if error:
            errors["course"] = [error]
        if not errors:
            pair = (student.pk, course.pk)
            if course.owner_id == student.pk:
                errors["student_email"] = [_("%(email)s teaches “%(course)s”.") % _names(email, course)]
            elif pair in enrolled:
                errors["student_email"] = [
                    _("%(email)s is already enrolled in “%(course)s”.") % _names(email, course)
                ]
            elif pair in first_row_of:
                errors["student_email"] = [_on_row(email, course.title, first_row_of[pair])]
            else:
                first_row_of[pair] = number
                grants.append(Grant(row=number, student=student, course=course))
        if errors:
            row_errors[number] = errors
    if row_errors:
        raise ImportRejected(row_errors)
    return grants


@transaction.atomic
def enrollments_import(*, rows: Sequence[Row], imported_by: User) -> list[Enrollment]:
    """Grant every enrolment the rows ask for, or none; paid courses included, as an admin grant is."""
    check_importer(imported_by, _("Only admins can import enrolments."))

    def grant(grant: Grant) -> Enrollment:
        return services.enrollment_create(
            student=grant.student,
            course=grant.course,
            granted_by=imported_by,
            source=Enrollment.Source.IMPORT,
        )

    return _write_each(enrollments_import_check(rows=rows), grant)


def _require_columns(rows: Sequence[Row], columns: tuple[str, ...]) -> None:
    if rows and not set(columns) <= set(rows[0]):
        names = ", ".join(f"“{name}”" for name in columns)
        raise ValidationFailed(_("The file needs the columns %(columns)s.") % {"columns": names})


def _write_each(items: Sequence, write: Callable) -> list:
    """Write the checked rows in order. The check and the writes are one transaction, but the service
    keeps the last word: its refusal (the data changed since the check) names the row and undoes the file."""
    written = []
    for item in items:
        try:
            written.append(write(item))
        except DomainError as refusal:
            raise ImportRejected({item.row: {"student_email": [refusal.message]}}) from refusal
    return written


def _cell(value) -> str:
    """Spreadsheets hand whole numbers (page ids, ratings) over as 12 or 12.0; text comes as text."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return cell_text(value)


def _emails(rows: Sequence[Row]) -> list[str]:
    return [cell_text(row.get("student_email")).lower() for row in rows]


def _page_ids(rows: Sequence[Row], column: str) -> list[int | None]:
    return [int(key) if (key := _cell(row.get(column))).isdigit() else None for row in rows]


def _students(emails: list[str]) -> dict[str, User]:
    wanted = {email for email in emails if email}
    return {user.key: user for user in User.objects.annotate(key=Lower("email")).filter(key__in=wanted)}


def _courses(keys: list[str]) -> tuple[dict[int, CoursePage], dict[str, list[CoursePage]]]:
    ids = {int(key) for key in keys if key.isdigit()}
    slugs = {key for key in keys if key}
    courses = list(CoursePage.objects.filter(Q(pk__in=ids) | Q(slug__in=slugs)))
    by_slug: dict[str, list[CoursePage]] = {}
    for course in courses:
        by_slug.setdefault(course.slug, []).append(course)
    return {course.pk: course for course in courses}, by_slug


def _account_problem(email: str, student: User | None) -> str | None:
    if not email:
        return _("Give the student's email address.")
    if student is None:
        return _("There is no account with %(email)s.") % {"email": email}
    return None


def _student_problem(email: str, student: User | None) -> str | None:
    if problem := _account_problem(email, student):
        return problem
    if not student.is_active:
        return _("The account %(email)s is inactive.") % {"email": email}
    return None


def _find_course(key, by_id, by_slug, published) -> tuple[CoursePage | None, str | None]:
    if not key:
        return None, _("Give the course's page id or slug.")
    matches = [by_id[int(key)]] if key.isdigit() and int(key) in by_id else by_slug.get(key, [])
    if not matches:
        return None, _("There is no course “%(course)s”.") % {"course": key}
    if len(matches) > 1:
        return None, _("Several courses have the slug “%(course)s”; give the page id.") % {"course": key}
    [course] = matches
    if course.pk not in published:
        return None, _("“%(course)s” is not published.") % {"course": course.title}
    return course, None


def _names(email: str, course: CoursePage) -> dict[str, str]:
    return {"email": email, "course": course.title}


# Reviews


@dataclass(frozen=True)
class ReviewEdit:
    """One row: the review it matches (a new one unsaved), what the row gives, and whether that changes it."""

    row: int
    review: Review
    rating: int
    comment: str
    is_new: bool
    changed: bool

    @property
    def instance(self) -> Review:
        return self.review


def reviews_import_check(*, rows: Sequence[Row]) -> list[ReviewEdit]:
    """The reviews the rows give, by student email and course page id, or ImportRejected naming every bad row.

    A new review needs the student's enrolment, as on the site; an existing one is updated by the admin.
    """
    _require_columns(rows, REVIEW_COLUMNS)
    emails, course_ids = _emails(rows), _page_ids(rows, "course")
    students = _students(emails)
    courses = CoursePage.objects.in_bulk([pk for pk in course_ids if pk])
    pairs = Q(student__in=students.values(), course__in=courses.values())
    reviews = {(review.student_id, review.course_id): review for review in Review.objects.filter(pairs)}
    enrolled = set(Enrollment.objects.filter(pairs).values_list("student_id", "course_id"))
    first_row_of: dict[tuple, int] = {}
    edits, row_errors = [], {}
    for number, (row, email, course_id) in enumerate(zip(rows, emails, course_ids, strict=True), 1):
        student, course = students.get(email), courses.get(course_id)
        rating = _cell(row.get("rating"))
        errors = _row_errors(
            student_email=_account_problem(email, student),
            course=None
            if course
            else _("There is no course “%(course)s”.") % {"course": _cell(row.get("course"))},
            rating=None if rating in {"1", "2", "3", "4", "5"} else _("Give a whole number from 1 to 5."),
        )
        if not errors:
            pair = (student.pk, course.pk)
            review = reviews.get(pair)
            if pair in first_row_of:
                errors["student_email"] = [_on_row(email, course.title, first_row_of[pair])]
            elif review is None and pair not in enrolled:
                errors["student_email"] = [
                    _("%(email)s is not enrolled in “%(course)s”.") % _names(email, course)
                ]
            else:
                first_row_of[pair] = number
                edits.append(
                    _review_edit(number, review, student, course, int(rating), cell_text(row.get("comment")))
                )
        if errors:
            row_errors[number] = errors
    if row_errors:
        raise ImportRejected(row_errors)
    return edits


@transaction.atomic
def reviews_import(*, rows: Sequence[Row], imported_by: User) -> list[ReviewEdit]:
    """Create and update every review the rows give, or none, keeping the courses' ratings right."""
    check_importer(imported_by, _("Only admins can import reviews."))
    return _write_each(reviews_import_check(rows=rows), partial(_write_review, user=imported_by))


def _review_edit(number, review, student, course, rating, comment) -> ReviewEdit:
    if review is None:
        review = Review(student=student, course=course, rating=rating, comment=comment)
        return ReviewEdit(number, review, rating, comment, is_new=True, changed=True)
    changed = (review.rating, review.comment) != (rating, comment)
    return ReviewEdit(number, review, rating, comment, is_new=False, changed=changed)


def _write_review(edit: ReviewEdit, *, user: User) -> ReviewEdit:
    if edit.is_new:
        review = services.review_create(
            student=edit.review.student, course=edit.review.course, rating=edit.rating, comment=edit.comment
        )
    elif edit.changed:
        review = services.review_update(
            review=edit.review, user=user, rating=edit.rating, comment=edit.comment
        )
    else:
        return edit
    return replace(edit, review=review)


# Lesson progress


@dataclass(frozen=True)
class ProgressEdit:
    """One row: the student's progress in the lesson (new ones unsaved) and what the row does to it."""

    row: int
    student: User
    lesson: LessonPage
    progress: LessonProgress
    status: str
    is_new: bool
    changed: bool

    @property
    def instance(self) -> LessonProgress:
        return self.progress


def progress_import_check(*, rows: Sequence[Row]) -> list[ProgressEdit]:
    """The progress the rows give, by student email and lesson page id, or ImportRejected naming bad rows.

    A row may complete a lesson or record that it was started; it cannot undo a completion. The rules
    of the lesson player hold: the course is published, the student enrolled, a quiz passed, and in a
    sequential course the lessons before are complete (or completed earlier in the file).
    """
    _require_columns(rows, PROGRESS_COLUMNS)
    emails, lesson_ids = _emails(rows), _page_ids(rows, "lesson")
    students = _students(emails)
    lessons = LessonPage.objects.in_bulk([pk for pk in lesson_ids if pk])
    course_of = _courses_of(lessons.values())
    enrollments = {
        (enrollment.student_id, enrollment.course_id): enrollment
        for enrollment in Enrollment.objects.filter(
            student__in=students.values(), course__in=set(course_of.values())
        )
    }
    progress = {
        (item.enrollment_id, item.lesson_id): item
        for item in LessonProgress.objects.filter(enrollment__in=enrollments.values())
    }
    passed = set(
        QuizAttempt.objects.filter(enrollment__in=enrollments.values(), passed=True).values_list(
            "enrollment_id", "lesson_id"
        )
    )
    first_row_of: dict[tuple, int] = {}
    edits, row_errors = [], {}
    for number, (row, email, lesson_id) in enumerate(zip(rows, emails, lesson_ids, strict=True), 1):
        student, lesson = students.get(email), lessons.get(lesson_id)
        status = cell_text(row.get("status")).lower()
        errors = _row_errors(
            student_email=_account_problem(email, student),
            lesson=None
            if lesson
            else _("There is no lesson “%(lesson)s”.") % {"lesson": _cell(row.get("lesson"))},
            status=None if status in LessonProgress.Status.values else _("Give completed or in_progress."),
        )
        if not errors:
            course = course_of[lesson.pk]
            enrollment = enrollments.get((student.pk, course.pk))
            if (student.pk, lesson.pk) in first_row_of:
                errors["student_email"] = [_on_row(email, lesson.title, first_row_of[student.pk, lesson.pk])]
            elif enrollment is None:
                errors["student_email"] = [
                    _("%(email)s is not enrolled in “%(course)s”.") % _names(email, course)
                ]
            else:
                first_row_of[student.pk, lesson.pk] = number
                edit = _progress_edit(number, student, lesson, enrollment, progress, status)
                if problem := _progress_problem(edit, course, passed):
                    errors["status"] = [problem]
                else:
                    edits.append(edit)
        if errors:
            row_errors[number] = errors
    row_errors.update(_locked_rows(edits, course_of, progress))
    if row_errors:
        raise ImportRejected(dict(sorted(row_errors.items())))
    return edits


@transaction.atomic
def progress_import(*, rows: Sequence[Row], imported_by: User) -> list[ProgressEdit]:
    """Complete or start every lesson the rows give, or none; progress and certificates follow.

    Each student's lessons are written in outline order, so a sequential course opens them one by one.
    """
    check_importer(imported_by, _("Only admins can import progress."))
    edits = progress_import_check(rows=rows)
    in_outline_order = sorted(edits, key=lambda edit: (edit.student.pk, edit.lesson.path))
    return sorted(_write_each(in_outline_order, _write_progress), key=attrgetter("row"))


def _courses_of(lessons) -> dict[int, CoursePage]:
    """Each lesson's course in one query: a course holds sections, which hold lessons."""
    paths = {lesson.pk: lesson.path[: -2 * LessonPage.steplen] for lesson in lessons}
    courses = CoursePage.objects.select_related("lifecycle").filter(path__in=set(paths.values()))
    by_path = {course.path: course for course in courses}
    return {pk: by_path[path] for pk, path in paths.items()}


def _progress_edit(number, student, lesson, enrollment, progress, status) -> ProgressEdit:
    current = progress.get((enrollment.pk, lesson.pk))
    if current is None:
        new = LessonProgress(enrollment=enrollment, lesson=lesson, status=status)
        return ProgressEdit(number, student, lesson, new, status, is_new=True, changed=True)
    return ProgressEdit(
        number, student, lesson, current, status, is_new=False, changed=current.status != status
    )


def _progress_problem(edit: ProgressEdit, course: CoursePage, passed: set[tuple]) -> str | None:
    """Why the lesson player would refuse the change, checked before anything is written.

    `passed` holds the (enrolment, lesson) pairs of passed quiz attempts.
    """
    names = {"email": edit.student.email, "lesson": edit.lesson.title}
    if not edit.changed:
        return None
    if not edit.is_new and edit.progress.status == LessonProgress.Status.COMPLETED:
        return _("%(email)s has completed “%(lesson)s”; an import cannot undo that.") % names
    if not (edit.lesson.live and course.is_in_catalog):
        return _("“%(lesson)s” is not open to students.") % names
    if edit.status == LessonProgress.Status.COMPLETED and edit.lesson.lesson_type == LessonType.ASSIGNMENT:
        return _("“%(lesson)s” is complete once %(email)s's work is graded as passing.") % names
    quiz_passed = (edit.progress.enrollment_id, edit.lesson.pk) in passed
    if (
        edit.status == LessonProgress.Status.COMPLETED
        and edit.lesson.lesson_type == LessonType.QUIZ
        and not quiz_passed
    ):
        return _("%(email)s has not passed the quiz “%(lesson)s”.") % names
    return None


def _locked_rows(edits: list[ProgressEdit], course_of, progress) -> dict[int, dict[str, list[str]]]:
    """Rows that open a lesson of a sequential course before the lessons ahead of it are complete."""
    completed: dict[int, set[int]] = {}
    for (enrollment_id, lesson_id), item in progress.items():
        if item.status == LessonProgress.Status.COMPLETED:
            completed.setdefault(enrollment_id, set()).add(lesson_id)
    for edit in edits:
        if edit.status == LessonProgress.Status.COMPLETED:
            completed.setdefault(edit.progress.enrollment_id, set()).add(edit.lesson.pk)
    outlines: dict[int, list[LessonPage]] = {}
    row_errors = {}
    for edit in edits:
        course = course_of[edit.lesson.pk]
        if not (edit.changed and course.is_sequential):
            continue
        if course.pk not in outlines:
            outlines[course.pk] = list(selectors.live_lessons(course))
        done = completed.get(edit.progress.enrollment_id, set())
        if edit.lesson.pk in selectors.locked_lesson_ids(course, outlines[course.pk], done):
            message = _("“%(lesson)s” is still locked for %(email)s: complete the lessons before it first.")
            row_errors[edit.row] = {
                "status": [message % {"lesson": edit.lesson.title, "email": edit.student.email}]
            }
    return row_errors


def _write_progress(edit: ProgressEdit) -> ProgressEdit:
    if not edit.changed:
        return edit
    if edit.status == LessonProgress.Status.COMPLETED:
        enrollment = services.lesson_complete(student=edit.student, lesson=edit.lesson)
    else:
        enrollment = services.progress_record(student=edit.student, lesson=edit.lesson).enrollment
    return replace(edit, progress=LessonProgress.objects.get(enrollment=enrollment, lesson=edit.lesson))


def _row_errors(**problems: str | None) -> dict[str, list[str]]:
    return {field: [problem] for field, problem in problems.items() if problem}


def _on_row(email: str, title: str, row: int) -> str:
    return _("%(email)s in “%(title)s” is already on row %(row)d.") % {
        "email": email,
        "title": title,
        "row": row,
    }
