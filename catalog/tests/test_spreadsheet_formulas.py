"""Categories and courses exported from the admin keep formulas as text, and an exported file imported
again changes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lms_site.tests.admin_client import CSV, XLSX, AdminImport, assert_no_formulas, exported_rows, messages_of
from lms_site.tests.test_spreadsheet_formulas import FORMULAS

from .. import imports
from ..models import Category, CoursePage, CourseStatus
from .factories import CategoryFactory, course_in

pytestmark = pytest.mark.django_db

FORMATS = pytest.mark.parametrize(
    ("file_format", "extension"), [(CSV, "csv"), (XLSX, "xlsx")], ids=["csv", "xlsx"]
)
CATEGORIES = AdminImport("catalog_category", ["name", "slug", "icon", "description"])
COURSES = AdminImport("catalog_courselifecycle", list(imports.COLUMNS))


def export(client, spreadsheet, file_format) -> bytes:
    return client.post(spreadsheet.url("export"), {"format": file_format}).content


@FORMATS
def test_category_export_keeps_formulas_as_text_and_imports_back_unchanged(
    admin_client, file_format, extension
):
    CategoryFactory(name=FORMULAS[0], slug="links", icon="@icon", description=FORMULAS[4])
    before = list(Category.objects.values_list("name", "slug", "icon", "description"))

    exported = export(admin_client, CATEGORIES, file_format)
    response = CATEGORIES.through_admin(
        admin_client, SimpleUploadedFile(f"c.{extension}", exported), file_format
    )

    rows = exported_rows(exported, file_format)
    assert_no_formulas(rows)
    assert rows[1] == [f"'{FORMULAS[0]}", "links", "'@icon", f"'{FORMULAS[4]}"]
    assert messages_of(response) == [
        ("success", "Import finished: 0 new, 0 updated, 0 deleted and 1 skipped categories.")
    ]
    assert list(Category.objects.values_list("name", "slug", "icon", "description")) == before


@FORMATS
def test_course_export_keeps_formulas_as_text_and_imports_back_unchanged(
    admin, admin_client, file_format, extension
):
    course = course_in(CourseStatus.DRAFT, admin=admin, title=FORMULAS[1], subtitle=FORMULAS[2])
    revisions = course.revisions.count()

    exported = export(admin_client, COURSES, file_format)
    response = COURSES.through_admin(
        admin_client, SimpleUploadedFile(f"c.{extension}", exported), file_format
    )

    rows = exported_rows(exported, file_format)
    assert_no_formulas(rows)
    header, row = rows
    assert (row[header.index("title")], row[header.index("subtitle")]) == (
        f"'{FORMULAS[1]}",
        f"'{FORMULAS[2]}",
    )
    assert "1 skipped" in messages_of(response)[0][1]
    course = CoursePage.objects.get(pk=course.pk)
    assert (course.title, course.subtitle, course.revisions.count()) == (FORMULAS[1], FORMULAS[2], revisions)
