"""Courses' catalogue data in and out of spreadsheets: the draft-saving import, and the admin's on top."""

import io
from datetime import datetime
from decimal import Decimal

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lms_site.errors import NotAllowed
from lms_site.imports import ImportRejected
from lms_site.models import User
from lms_site.tests.admin_client import CSV, XLSX, AdminImport, messages_of
from lms_site.tests.factories import activate_authenticator_app

from .. import imports
from ..models import CoursePage, CourseStatus
from .factories import CategoryFactory, course_in

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:catalog_courselifecycle_import")
EXPORT_URL = reverse("admin:catalog_courselifecycle_export")
HEADERS = list(imports.COLUMNS)
EXPORT_HEADERS = [*HEADERS, "status", "instructor", "unpublished_changes"]

COURSES = AdminImport("catalog_courselifecycle", HEADERS)


@pytest.fixture
def python():
    return CategoryFactory(name="Python", slug="python")


@pytest.fixture
def published(admin, python):
    return course_in(
        CourseStatus.PUBLISHED,
        admin=admin,
        title="Astronomy",
        slug="astronomy",
        category=python,
        price=Decimal("19.99"),
        enrollment_cap=30,
        enrollment_opens_at=timezone.make_aware(datetime(2026, 1, 5, 9, 30)),
    )


@pytest.fixture
def draft(admin, python):
    return course_in(CourseStatus.DRAFT, admin=admin, title="Botany", slug="botany", category=python)


def row_for(course, **changes):
    """The course's row as the export writes it, with some values changed."""
    values = {
        "id": course.pk,
        "title": course.title,
        "slug": course.slug,
        "subtitle": course.subtitle,
        "category": course.category.slug if course.category else "",
        "difficulty": course.difficulty,
        "language": course.language,
        "price": str(course.price),
        "currency": course.currency,
        "enrollment_cap": course.enrollment_cap or "",
        "enrollment_opens_at": _local(course.enrollment_opens_at),
        "enrollment_closes_at": _local(course.enrollment_closes_at),
        "is_sequential": int(course.is_sequential),
        **changes,
    }
    return [values[name] for name in HEADERS]


def _local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def fresh(course):
    return CoursePage.objects.get(pk=course.pk)


def catalogue(*courses):
    return [(c.title, c.slug, c.price, c.enrollment_cap, c.category_id) for c in map(fresh, courses)]


# The service


def test_changing_a_published_course_saves_a_draft_and_leaves_the_live_page(admin, published):
    revisions = published.revisions.count()

    [edit] = imports.courses_import(
        rows=COURSES.rows(row_for(published, title="Astronomy II", price="25.00")), imported_by=admin
    )

    assert edit.changes == {"title": "Astronomy II", "price": Decimal("25.00")}
    course = fresh(published)
    assert (course.title, course.price, course.live) == ("Astronomy", Decimal("19.99"), True)
    assert course.has_unpublished_changes
    assert course.revisions.count() == revisions + 1
    draft = course.get_latest_revision_as_object()
    assert (draft.title, draft.price) == ("Astronomy II", Decimal("25.00"))
    assert CoursePage.objects.in_catalog().get(pk=course.pk).title == "Astronomy"


def test_the_draft_reaches_students_only_when_an_admin_publishes_it(admin, published):
    imports.courses_import(rows=COURSES.rows(row_for(published, title="Astronomy II")), imported_by=admin)

    fresh(published).get_latest_revision().publish(user=admin)

    course = fresh(published)
    assert (course.title, course.lifecycle.status) == ("Astronomy II", CourseStatus.PUBLISHED)


def test_changing_a_course_that_is_not_live_updates_its_page_and_revision(admin, draft, python):
    design = CategoryFactory(name="Design", slug="design")

    imports.courses_import(
        rows=COURSES.rows(row_for(draft, category="design", difficulty="advanced", enrollment_cap="12")),
        imported_by=admin,
    )

    course = fresh(draft)
    assert (course.category, course.difficulty, course.enrollment_cap) == (design, "advanced", 12)
    assert course.get_latest_revision_as_object().category_id == design.pk


def test_import_never_changes_status_or_owner(admin, published, instructor):
    rows = COURSES.rows(
        [*row_for(published, title="Renamed"), "draft", instructor.email],
        headers=[*HEADERS, "status", "instructor"],
    )

    imports.courses_import(rows=rows, imported_by=admin)

    course = fresh(published)
    assert (course.lifecycle.status, course.owner_id, course.live) == (
        CourseStatus.PUBLISHED,
        published.owner_id,
        True,
    )
    assert course.get_latest_revision_as_object().owner_id == published.owner_id


def test_unchanged_rows_write_nothing(admin, published, draft):
    revisions = {course.pk: course.revisions.count() for course in (published, draft)}

    edits = imports.courses_import(rows=COURSES.rows(row_for(published), row_for(draft)), imported_by=admin)

    assert [edit.changes for edit in edits] == [{}, {}]
    assert {course.pk: course.revisions.count() for course in (published, draft)} == revisions
    assert not fresh(published).has_unpublished_changes


def test_columns_left_out_keep_their_values(admin, published):
    imports.courses_import(
        rows=COURSES.rows([published.pk, "9.50"], headers=["id", "price"]), imported_by=admin
    )

    draft = fresh(published).get_latest_revision_as_object()
    assert (draft.title, draft.price, draft.enrollment_cap) == ("Astronomy", Decimal("9.50"), 30)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"id": 999999}, "id", "There is no course “999999”."),
        ({"category": "geology"}, "category", "There is no category “geology”."),
        ({"difficulty": "expert"}, "difficulty", "Select a valid choice. expert is not one of"),
        ({"price": "-1"}, "price", "Ensure this value is greater than or equal to 0."),
        ({"enrollment_cap": "many"}, "enrollment_cap", "Enter a whole number."),
        ({"title": ""}, "title", "This field is required."),
        (
            {"enrollment_closes_at": "2026-01-01 00:00:00"},
            "enrollment_closes_at",
            "must close after it opens",
        ),
    ],
    ids=[
        "unknown-id",
        "unknown-category",
        "bad-difficulty",
        "negative-price",
        "bad-cap",
        "no-title",
        "window",
    ],
)
def test_a_bad_row_rejects_the_whole_file_naming_the_row(admin, published, draft, changes, field, message):
    before = catalogue(published, draft)

    with pytest.raises(ImportRejected) as refusal:
        imports.courses_import(
            rows=COURSES.rows(row_for(draft, title="Botany II"), row_for(published, **changes)),
            imported_by=admin,
        )

    assert list(refusal.value.row_errors) == [2]
    [text] = refusal.value.row_errors[2][field]
    assert message in text
    assert catalogue(published, draft) == before
    assert fresh(draft).get_latest_revision_as_object().title == "Botany"


def test_a_course_twice_in_the_file_is_refused_naming_the_first_row(admin, published):
    with pytest.raises(ImportRejected) as refusal:
        imports.courses_import(rows=COURSES.rows(row_for(published), row_for(published)), imported_by=admin)

    assert refusal.value.row_errors == {2: {"id": [f"Course {published.pk} is already on row 1."]}}


def test_only_admins_may_import(instructor, published):
    with pytest.raises(NotAllowed):
        imports.courses_import(
            rows=COURSES.rows(row_for(published, title="Mine now")), imported_by=instructor
        )

    assert not fresh(published).has_unpublished_changes


# The admin


def test_admin_import_preview_writes_nothing(admin_client, published):
    response = COURSES.preview(admin_client, COURSES.upload(row_for(published, title="Astronomy II")))

    assert response.context["confirm_form"] is not None
    [row] = response.context["result"].valid_rows()
    assert (row.import_type, row.diff[:2]) == ("update", [published.pk, "Astronomy II"])
    assert not fresh(published).has_unpublished_changes


def test_admin_import_preview_names_the_bad_row_and_offers_no_confirmation(admin_client, published, draft):
    response = COURSES.preview(
        admin_client, COURSES.upload(row_for(draft), row_for(published, category="geology"))
    )

    assert "confirm_form" not in response.context
    [invalid] = response.context["result"].invalid_rows
    assert (invalid.number, invalid.field_specific_errors) == (
        2,
        {"category": ["There is no category “geology”."]},
    )
    assert "There is no category “geology”." in response.text


def test_admin_csv_import_saves_drafts_and_logs_the_changes(admin_client, admin, published, draft):
    response = COURSES.through_admin(
        admin_client, COURSES.upload(row_for(published, subtitle="New"), row_for(draft))
    )

    assert messages_of(response) == [
        ("success", "Import finished: 0 new, 1 updated, 0 deleted and 1 skipped course reviews.")
    ]
    assert fresh(published).get_latest_revision_as_object().subtitle == "New"
    assert fresh(published).subtitle == published.subtitle
    assert LogEntry.objects.get(user=admin, action_flag=CHANGE).object_id == str(published.pk)


def test_admin_confirmation_reports_a_row_gone_bad_since_the_preview(admin_client, published, python):
    checked = COURSES.preview(admin_client, COURSES.upload(row_for(published, price="5.00")))
    CoursePage.objects.filter(pk=published.pk).update(category=CategoryFactory(slug="other"))
    python.delete()

    response = COURSES.confirm(admin_client, checked)

    assert (response.status_code, response["Location"]) == (302, IMPORT_URL)
    [(level, text)] = messages_of(response)
    assert level == "error"
    assert "Row 1: There is no category “python”." in text
    assert not fresh(published).has_unpublished_changes


def test_admin_csv_export_has_the_catalogue_columns(admin_client, published):
    response = admin_client.post(EXPORT_URL, {"format": CSV})

    header, line = response.content.decode().splitlines()
    assert header == ",".join(EXPORT_HEADERS)
    assert line == (
        f"{published.pk},Astronomy,astronomy,Learn by doing,python,beginner,en,19.99,USD,30,"
        f"{_local(published.enrollment_opens_at)},,0,published,{published.owner.email},0"
    )


def test_admin_export_shows_the_latest_draft_of_a_live_course(admin_client, admin, published):
    imports.courses_import(rows=COURSES.rows(row_for(published, title="Astronomy II")), imported_by=admin)

    response = admin_client.post(EXPORT_URL, {"format": CSV})

    [line] = response.content.decode().splitlines()[1:]
    assert line.startswith(f"{published.pk},Astronomy II,")
    assert line.endswith(f",published,{published.owner.email},1")


def test_admin_export_keeps_the_list_filters(admin_client, published, draft):
    response = admin_client.post(f"{EXPORT_URL}?status__exact=draft", {"format": CSV})

    assert [line.split(",")[1] for line in response.content.decode().splitlines()[1:]] == ["Botany"]


@pytest.mark.parametrize(("file_format", "extension"), [(CSV, "csv"), (XLSX, "xlsx")])
def test_export_then_import_leaves_the_courses_unchanged(
    admin_client, admin, published, draft, file_format, extension
):
    imports.courses_import(rows=COURSES.rows(row_for(published, title="Astronomy II")), imported_by=admin)
    before = catalogue(published, draft)
    revisions = {course.pk: course.revisions.count() for course in (published, draft)}
    exported = admin_client.post(EXPORT_URL, {"format": file_format}).content
    if file_format == XLSX:
        assert [cell.value for cell in load_workbook(io.BytesIO(exported)).active[1]] == EXPORT_HEADERS

    response = COURSES.through_admin(
        admin_client, SimpleUploadedFile(f"courses.{extension}", exported), file_format
    )

    assert messages_of(response) == [
        ("success", "Import finished: 0 new, 0 updated, 0 deleted and 2 skipped course reviews.")
    ]
    assert catalogue(published, draft) == before
    assert {course.pk: course.revisions.count() for course in (published, draft)} == revisions


def test_import_page_lists_only_the_columns_an_import_reads(admin_client):
    response = admin_client.get(IMPORT_URL)

    assert [columns for _resource, columns in response.context["fields_list"]] == [HEADERS]


def test_moderation_list_offers_import_and_export_to_admins(admin_client):
    html = admin_client.get(reverse("admin:catalog_courselifecycle_changelist")).text

    assert f'href="{IMPORT_URL}"' in html
    assert f'href="{EXPORT_URL}?' in html


@pytest.mark.parametrize("url", [IMPORT_URL, EXPORT_URL])
def test_staff_instructor_cannot_import_or_export(client, instructor, published, url):
    User.objects.filter(pk=instructor.pk).update(is_staff=True)
    activate_authenticator_app(instructor)  # staff pass the two-factor requirement; the role check is tested
    client.force_login(instructor)

    assert client.get(url).status_code == 403
    file = COURSES.upload(row_for(published, title="Mine now"))
    assert client.post(url, {"format": CSV, "import_file": file}).status_code == 403
    assert not fresh(published).has_unpublished_changes
