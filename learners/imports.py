"""Enrolments granted in bulk from a spreadsheet. Every row is checked before any is written."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from catalog.models import CoursePage
from lms_site.errors import DomainError, NotAllowed, ValidationFailed
from lms_site.imports import ImportRejected
from lms_site.models import Role, User

from . import services
from .models import Enrollment

COLUMNS = ("student_email", "course")

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
    if rows and not set(COLUMNS) <= set(rows[0]):
        raise ValidationFailed(_("The file needs the columns “student_email” and “course”."))
    emails = [_text(row.get("student_email")).lower() for row in rows]
    keys = [_course_key(row.get("course")) for row in rows]
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
                errors["student_email"] = [
                    _("%(email)s in “%(course)s” is already on row %(row)d.")
                    % {**_names(email, course), "row": first_row_of[pair]}
                ]
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
    if not (imported_by.is_active and imported_by.role == Role.ADMIN):
        raise NotAllowed(_("Only admins can import enrolments."))
    enrollments = []
    for grant in enrollments_import_check(rows=rows):
        try:
            enrollments.append(
                services.enrollment_create(
                    student=grant.student,
                    course=grant.course,
                    granted_by=imported_by,
                    source=Enrollment.Source.IMPORT,
                )
            )
        except DomainError as refusal:  # the data changed since the check (say, a self-enrolment)
            raise ImportRejected({grant.row: {"student_email": [refusal.message]}}) from refusal
    return enrollments


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _course_key(value) -> str:
    """Spreadsheets hand page ids over as numbers (12 or 12.0); slugs come as text."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _text(value)


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


def _student_problem(email: str, student: User | None) -> str | None:
    if not email:
        return _("Give the student's email address.")
    if student is None:
        return _("There is no account with %(email)s.") % {"email": email}
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
