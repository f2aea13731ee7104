"""Courses' catalogue data changed in bulk from a spreadsheet. Every row is checked before any is written.

An import edits as the CMS editor's "Save draft" does: it starts from the course's latest revision and
saves a new one. A live course keeps showing students its published content until an admin publishes
that revision; a course that is not live takes the changes on its page too, as in the editor. Status and
owner are not catalogue data: only the lifecycle services change them, so no column can.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, ClassVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lms_site.errors import ValidationFailed
from lms_site.imports import ImportRejected, check_importer
from lms_site.models import User

from .models import Category, CourseLifecycle, CoursePage

CATALOGUE_FIELDS = (
    "title",
    "slug",
    "subtitle",
    "category",
    "difficulty",
    "language",
    "price",
    "currency",
    "enrollment_cap",
    "enrollment_opens_at",
    "enrollment_closes_at",
    "is_sequential",
)
COLUMNS = ("id", *CATALOGUE_FIELDS)

Row = Mapping[str, Any]


@dataclass(frozen=True)
class CourseEdit:
    """One row: the course (its next revision when the row changes it), its catalogue data after the row
    (the category by slug), and what the row changes, empty when the file says what is already there."""

    row: int
    course: CoursePage
    values: dict[str, Any]
    changes: dict[str, Any]
    is_new: ClassVar[bool] = False  # an import never makes courses

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    @property
    def instance(self) -> CoursePage:
        return self.course


def catalogue_of(course: CoursePage, category_slugs: Mapping[int, str]) -> dict[str, Any]:
    """The catalogue data as the course's editor sees it: from its latest revision while that is unpublished.

    Read from the revision's stored fields, so listing many courses costs no query per course when
    `latest_revision` is selected with them.
    """
    revision = course.latest_revision if course.has_unpublished_changes else None
    values = {}
    for name in CATALOGUE_FIELDS:
        field = CoursePage._meta.get_field(name)
        if revision is None:
            values[name] = field.value_from_object(course)
        else:
            values[name] = field.to_python(revision.content.get(name))
    values["category"] = category_slugs.get(values["category"], "")
    return values


def courses_import_check(*, rows: Sequence[Row]) -> list[CourseEdit]:
    """What each row changes, or ImportRejected naming every bad row.

    Courses are matched by page id; a column left out of the file leaves that field alone. Rows are
    numbered from 1 without the header line, as django-import-export numbers them.
    """
    if rows and "id" not in rows[0]:
        raise ValidationFailed(_("The file has no “id” column."))
    columns = [name for name in CATALOGUE_FIELDS if rows and name in rows[0]]
    ids = _page_ids(rows)
    courses = CoursePage.objects.select_related("latest_revision").in_bulk([pk for pk in ids if pk])
    category_slugs = dict(Category.objects.values_list("pk", "slug"))
    first_row_of: dict[int, int] = {}
    edits, row_errors = [], {}
    for number, (row, pk) in enumerate(zip(rows, ids, strict=True), 1):
        if pk in first_row_of:
            message = _("Course %(id)d is already on row %(row)d.") % {"id": pk, "row": first_row_of[pk]}
            row_errors[number] = {"id": [message]}
            continue
        try:
            edits.append(_check_row(number, row, courses.get(pk), columns, category_slugs))
        except ValidationError as error:
            row_errors[number] = error.message_dict
        if pk is not None:
            first_row_of[pk] = number
    if row_errors:
        raise ImportRejected(row_errors)
    return edits


@transaction.atomic
def courses_import(*, rows: Sequence[Row], imported_by: User) -> list[CourseEdit]:
    """Save a new revision of every course a row changes, or of none; unchanged rows write nothing."""
    check_importer(imported_by, _("Only admins can import courses."))
    # Lifecycle changes wait behind this import, so no course goes live between the check and the save.
    list(CourseLifecycle.objects.select_for_update().filter(course_id__in=_page_ids(rows)))
    edits = courses_import_check(rows=rows)
    for edit in edits:
        if edit.changes:
            _save_draft(edit.course, user=imported_by)
    return edits


def _page_ids(rows: Sequence[Row]) -> list[int | None]:
    """Spreadsheets hand ids over as numbers (12 or 12.0) or text."""
    ids = []
    for row in rows:
        value = row.get("id")
        try:
            ids.append(int(float(value)))
        except (TypeError, ValueError):
            ids.append(None)
    return ids


def _check_row(number: int, row: Row, course, columns: list[str], category_slugs) -> CourseEdit:
    if course is None:
        raise ValidationError({"id": [_("There is no course “%(id)s”.") % {"id": row.get("id") or ""}]})
    values, errors = {}, {}
    for name in columns:
        try:
            values[name] = _clean(name, row.get(name), category_slugs)
        except ValidationError as error:
            errors[name] = error.messages
    if errors:
        raise ValidationError(errors)
    current = catalogue_of(course, category_slugs)
    changes = {name: value for name, value in values.items() if not _same(value, current[name])}
    if changes:
        course = _draft_with(course, changes, category_slugs)
    return CourseEdit(row=number, course=course, values={**current, **changes}, changes=changes)


@cache
def _form_field(name: str):
    return CoursePage._meta.get_field(name).formfield()


def _clean(name: str, value, category_slugs: Mapping[int, str]):
    """A cell as the editor's form reads it, then the model's own rules (a price is never negative)."""
    if name == "category":
        slug = "" if value is None else str(value).strip()
        if slug and slug not in category_slugs.values():
            raise ValidationError(_("There is no category “%(slug)s”.") % {"slug": slug})
        return slug
    value = _form_field(name).clean(value)
    CoursePage._meta.get_field(name).run_validators(value)
    return value


def _same(new, current) -> bool:
    """A spreadsheet holds times to the second."""
    if isinstance(new, datetime) and isinstance(current, datetime):
        return new.replace(microsecond=0) == current.replace(microsecond=0)
    return new == current


def _draft_with(course: CoursePage, changes: dict, category_slugs: Mapping[int, str]) -> CoursePage:
    """The course's latest revision with the changes, checked as the page's own save checks it."""
    draft = course.get_latest_revision_as_object()
    category_ids = {slug: pk for pk, slug in category_slugs.items()}
    for name, value in changes.items():
        if name == "category":
            draft.category_id = category_ids.get(value)
        else:
            setattr(draft, name, value)
    try:
        draft.full_clean()
    except ValidationError as error:
        details = error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
        raise ValidationError(details) from error
    return draft


def _save_draft(draft: CoursePage, *, user: User) -> None:
    """As the editor's "Save draft": a page students cannot see takes the changes now; a live page keeps
    its published content, and the new revision waits for an admin to publish it."""
    if not draft.live:
        draft.save(clean=False)  # checked by _draft_with
    draft.save_revision(user=user, log_action=True, clean=False)
