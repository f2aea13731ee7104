"""Learning exported from the admin and the instructor's roster keep formulas as text; reviews exported
and imported again stay as they were."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lms_site.tests.admin_client import CSV, XLSX, AdminImport, assert_no_formulas, exported_rows, messages_of
from lms_site.tests.factories import StudentFactory
from lms_site.tests.test_spreadsheet_formulas import FORMULAS

from .. import imports, services
from ..models import Review
from .factories import lessons_of, published_course, reviewed
from .test_cms_learning import roster_url

pytestmark = pytest.mark.django_db

FORMATS = pytest.mark.parametrize(
    ("file_format", "extension"), [(CSV, "csv"), (XLSX, "xlsx")], ids=["csv", "xlsx"]
)
REVIEWS = AdminImport("learners_review", list(imports.REVIEW_COLUMNS))


@pytest.fixture
def course(admin):
    return published_course(admin=admin, title=FORMULAS[0], lessons_per_section=2)


@pytest.fixture
def student(course):
    """Enrolled, a lesson done and a certificate earned elsewhere, every text a formula."""
    student = StudentFactory(email="-ann@example.com", first_name=FORMULAS[3], last_name="Lee")
    services.enrollment_create(student=student, course=course)
    services.lesson_complete(student=student, lesson=lessons_of(course)[0])
    short = published_course(admin=course.lifecycle.reviewed_by, title=FORMULAS[1])
    services.enrollment_create(student=student, course=short)
    services.lesson_complete(student=student, lesson=lessons_of(short)[0])
    return student


def export(client, model, file_format) -> list[list]:
    content = client.post(reverse(f"admin:learners_{model}_export"), {"format": file_format}).content
    return exported_rows(content, file_format)


@FORMATS
@pytest.mark.parametrize("model", ["enrollment", "certificate", "lessonprogress"])
def test_learning_export_keeps_formulas_as_text(admin_client, student, model, file_format, extension):
    rows = export(admin_client, model, file_format)

    assert_no_formulas(rows)
    header, *lines = rows
    assert {line[header.index("student_email")] for line in lines} == {"'-ann@example.com"}
    assert {line[header.index("course_title")] for line in lines} <= {f"'{FORMULAS[0]}", f"'{FORMULAS[1]}"}


@FORMATS
@pytest.mark.parametrize("comment", FORMULAS)
def test_review_export_keeps_a_formula_comment_as_text(
    admin_client, student, course, comment, file_format, extension
):
    reviewed(student=student, course=course, rating=1, comment=f"{comment}  ")  # kept as written

    rows = export(admin_client, "review", file_format)

    assert_no_formulas(rows)
    header, row = rows
    assert row[header.index("comment")] == f"'{Review.objects.get().comment}"


@FORMATS
def test_reviews_exported_and_imported_again_are_unchanged(
    admin_client, student, course, file_format, extension
):
    reviewed(student=student, course=course, rating=1, comment=FORMULAS[0])
    content = admin_client.post(reverse("admin:learners_review_export"), {"format": file_format}).content

    response = REVIEWS.through_admin(admin_client, SimpleUploadedFile(f"r.{extension}", content), file_format)

    assert messages_of(response) == [
        ("success", "Import finished: 0 new, 0 updated, 0 deleted and 1 skipped reviews.")
    ]
    assert Review.objects.get().comment == FORMULAS[0]


def test_roster_keeps_formulas_as_text(client, admin, course, student):
    client.force_login(admin)

    rows = exported_rows(b"".join(client.get(roster_url(course)).streaming_content))

    assert_no_formulas(rows)
    header, row = rows
    assert (row[header.index("student_name")], row[header.index("student_email")]) == (
        f"'{FORMULAS[3]} Lee",
        "'-ann@example.com",
    )
