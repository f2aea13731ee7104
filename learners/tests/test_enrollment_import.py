"""Enrolments in and out of spreadsheets: the bulk-grant service, and the admin's import and export on top."""

import io
from decimal import Decimal

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from catalog.models import CoursePage, CourseStats, CourseStatus
from catalog.tests.factories import course_in
from lms_site.errors import Conflict, NotAllowed, ValidationFailed
from lms_site.imports import ImportRejected
from lms_site.models import User
from lms_site.tests.admin_client import CSV, XLSX, AdminImport, messages_of
from lms_site.tests.factories import StudentFactory, activate_authenticator_app

from .. import imports, services
from ..models import Enrollment
from .factories import published_course

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("admin:learners_enrollment_import")
EXPORT_URL = reverse("admin:learners_enrollment_export")
CHANGELIST_URL = reverse("admin:learners_enrollment_changelist")
HEADERS = ["student_email", "course"]
EXPORT_HEADERS = [
    "student_email",
    "course",
    "course_title",
    "progress_percentage",
    "enrolled_at",
    "completed_at",
]


@pytest.fixture
def course(admin):
    return published_course(admin=admin, title="Astronomy", slug="astronomy")


@pytest.fixture
def ada():
    return StudentFactory(email="ada@example.com")


@pytest.fixture
def alan():
    return StudentFactory(email="alan@example.com")


ENROLMENTS = AdminImport("learners_enrollment", HEADERS)
rows_of, upload, preview, confirm, import_through_admin = (
    ENROLMENTS.rows,
    ENROLMENTS.upload,
    ENROLMENTS.preview,
    ENROLMENTS.confirm,
    ENROLMENTS.through_admin,
)


def enrolled():
    return set(Enrollment.objects.values_list("student__email", "course__title"))


# The service


def test_service_grants_each_row_as_an_import_by_the_admin(admin, course, ada, alan):
    other = published_course(admin=admin, title="Botany", slug="botany")

    enrollments = imports.enrollments_import(
        rows=rows_of([ada.email, str(course.pk)], [alan.email.upper(), "botany"], [ada.email, other.pk]),
        imported_by=admin,
    )

    assert [(e.student, e.course_id, e.source, e.granted_by) for e in enrollments] == [
        (ada, course.pk, Enrollment.Source.IMPORT, admin),
        (alan, other.pk, Enrollment.Source.IMPORT, admin),
        (ada, other.pk, Enrollment.Source.IMPORT, admin),
    ]
    assert CourseStats.objects.get(pk=other.pk).enrollment_count == 2


def test_paid_course_is_granted_without_payment(admin, course, ada):
    CoursePage.objects.filter(pk=course.pk).update(price=Decimal("99.00"))

    [enrollment] = imports.enrollments_import(rows=rows_of([ada.email, "astronomy"]), imported_by=admin)

    assert enrollment.course_id == course.pk


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        (
            ["nobody@example.com", "astronomy"],
            "student_email",
            "There is no account with nobody@example.com.",
        ),
        (["", "astronomy"], "student_email", "Give the student's email address."),
        (["ada@example.com", "geology"], "course", "There is no course “geology”."),
        (["ada@example.com", "999999"], "course", "There is no course “999999”."),
        (["ada@example.com", ""], "course", "Give the course's page id or slug."),
    ],
    ids=["unknown-student", "no-student", "unknown-slug", "unknown-id", "no-course"],
)
def test_bad_row_is_refused_with_its_reason(admin, course, ada, row, field, message):
    with pytest.raises(ImportRejected) as refusal:
        imports.enrollments_import(rows=rows_of(row), imported_by=admin)

    assert refusal.value.row_errors == {1: {field: [message]}}


def test_unpublished_course_is_refused(admin, ada):
    draft = course_in(CourseStatus.APPROVED, admin=admin, title="Geology")

    with pytest.raises(ImportRejected) as refusal:
        imports.enrollments_import(rows=rows_of([ada.email, draft.pk]), imported_by=admin)

    assert refusal.value.row_errors == {1: {"course": ["“Geology” is not published."]}}


def test_student_already_enrolled_is_refused(admin, course, ada):
    services.enrollment_create(student=ada, course=course)

    with pytest.raises(ImportRejected) as refusal:
        imports.enrollments_import(rows=rows_of([ada.email, "astronomy"]), imported_by=admin)

    assert refusal.value.row_errors == {
        1: {"student_email": ["ada@example.com is already enrolled in “Astronomy”."]}
    }


def test_inactive_student_and_the_course_owner_are_refused(admin, course, ada):
    User.objects.filter(pk=ada.pk).update(is_active=False)

    with pytest.raises(ImportRejected) as refusal:
        imports.enrollments_import(
            rows=rows_of([ada.email, "astronomy"], [course.owner.email, "astronomy"]), imported_by=admin
        )

    assert refusal.value.row_errors == {
        1: {"student_email": ["The account ada@example.com is inactive."]},
        2: {"student_email": [f"{course.owner.email} teaches “Astronomy”."]},
    }


def test_row_repeated_in_the_file_is_refused_naming_the_first_row(admin, course, ada, alan):
    rows = rows_of([ada.email, "astronomy"], [alan.email, "astronomy"], ["ADA@example.com", course.pk])

    with pytest.raises(ImportRejected) as refusal:
        imports.enrollments_import(rows=rows, imported_by=admin)

    assert refusal.value.row_errors == {
        3: {"student_email": ["ada@example.com in “Astronomy” is already on row 1."]}
    }


def test_one_bad_row_among_several_writes_nothing_and_names_the_row(admin, course, ada, alan):
    rows = rows_of([ada.email, "astronomy"], ["ghost@example.com", "astronomy"], [alan.email, "astronomy"])

    with pytest.raises(ImportRejected) as refusal:
        imports.enrollments_import(rows=rows, imported_by=admin)

    assert refusal.value.details == {"row 2": ["Row 2: There is no account with ghost@example.com."]}
    assert not Enrollment.objects.exists()
    assert CourseStats.objects.get(pk=course.pk).enrollment_count == 0


def test_refusal_at_write_time_names_its_row_and_undoes_the_rows_before(
    admin, course, ada, alan, monkeypatch
):
    """The check and the writes are one transaction, but the service keeps the last word."""
    enrollment_create = services.enrollment_create

    def full_after_one(*, student, **kwargs):
        if student == alan:
            raise Conflict("This course is full.")
        return enrollment_create(student=student, **kwargs)

    monkeypatch.setattr(services, "enrollment_create", full_after_one)

    with pytest.raises(ImportRejected) as refusal:
        imports.enrollments_import(
            rows=rows_of([ada.email, "astronomy"], [alan.email, "astronomy"]), imported_by=admin
        )

    assert refusal.value.row_errors == {2: {"student_email": ["This course is full."]}}
    assert not Enrollment.objects.exists()


def test_file_without_the_columns_is_refused(admin, ada):
    with pytest.raises(ValidationFailed, match="needs the columns"):
        imports.enrollments_import(
            rows=rows_of([ada.email, "x"], headers=["email", "course"]), imported_by=admin
        )


def test_only_admins_may_import(instructor, course, ada):
    with pytest.raises(NotAllowed):
        imports.enrollments_import(rows=rows_of([ada.email, "astronomy"]), imported_by=instructor)

    assert not Enrollment.objects.exists()


def test_check_runs_as_many_queries_for_many_rows_as_for_one(admin, course, django_assert_max_num_queries):
    students = StudentFactory.create_batch(10)
    with CaptureQueriesContext(connection) as for_one:
        imports.enrollments_import_check(rows=rows_of([students[0].email, "astronomy"]))

    with django_assert_max_num_queries(len(for_one)):
        grants = imports.enrollments_import_check(rows=rows_of(*([s.email, course.pk] for s in students)))

    assert len(grants) == 10


# The admin's import


def test_admin_csv_import_creates_the_enrolments_through_the_service(admin_client, admin, course, ada, alan):
    response = import_through_admin(admin_client, upload([ada.email, "astronomy"], [alan.email, course.pk]))

    assert (response.status_code, response["Location"]) == (302, CHANGELIST_URL)
    assert messages_of(response) == [
        ("success", "Import finished: 2 new, 0 updated, 0 deleted and 0 skipped enrolments.")
    ]
    assert enrolled() == {(ada.email, "Astronomy"), (alan.email, "Astronomy")}
    assert set(Enrollment.objects.values_list("source", "granted_by")) == {
        (Enrollment.Source.IMPORT, admin.pk)
    }
    assert LogEntry.objects.filter(user=admin, action_flag=ADDITION).count() == 2


def test_admin_import_preview_writes_nothing(admin_client, course, ada, alan):
    response = preview(admin_client, upload([ada.email, "astronomy"], [alan.email, course.pk]))

    assert response.context["confirm_form"] is not None
    assert [row.diff for row in response.context["result"].valid_rows()] == [
        [ada.email, "Astronomy"],
        [alan.email, "Astronomy"],
    ]
    assert not Enrollment.objects.exists()


def test_admin_import_preview_shows_the_bad_row_and_offers_no_confirmation(admin_client, course, ada, alan):
    response = preview(
        admin_client, upload([ada.email, "astronomy"], [alan.email, "geology"], [alan.email, "astronomy"])
    )

    assert "confirm_form" not in response.context
    [invalid] = response.context["result"].invalid_rows
    assert (invalid.number, invalid.field_specific_errors) == (
        2,
        {"course": ["There is no course “geology”."]},
    )
    assert "There is no course “geology”." in response.text
    assert not Enrollment.objects.exists()


def test_admin_confirmation_reports_an_enrolment_made_since_the_preview(admin_client, course, ada, alan):
    checked = preview(admin_client, upload([ada.email, "astronomy"], [alan.email, "astronomy"]))
    services.enrollment_create(student=alan, course=course)

    response = confirm(admin_client, checked)

    assert (response.status_code, response["Location"]) == (302, IMPORT_URL)
    [(level, text)] = messages_of(response)
    assert level == "error"
    assert "Row 2: alan@example.com is already enrolled in “Astronomy”." in text
    assert enrolled() == {(alan.email, "Astronomy")}


def test_import_page_lists_only_the_columns_an_import_reads(admin_client):
    response = admin_client.get(IMPORT_URL)

    assert [columns for _resource, columns in response.context["fields_list"]] == [HEADERS]


# The admin's export


def test_admin_csv_export_has_the_resource_columns(admin_client, admin, course, ada):
    services.enrollment_create(student=ada, course=course)

    response = admin_client.post(EXPORT_URL, {"format": CSV})

    header, line = response.content.decode().splitlines()
    assert header == ",".join(EXPORT_HEADERS)
    assert line.startswith(f"{ada.email},{course.pk},Astronomy,0.00,")
    assert line.endswith(",")  # not completed


def test_admin_export_keeps_the_list_filters(admin_client, admin, course, ada, alan):
    services.enrollment_create(student=ada, course=course)
    services.enrollment_create(student=alan, course=published_course(admin=admin, title="Botany"))

    response = admin_client.post(f"{EXPORT_URL}?course__id__exact={course.pk}", {"format": CSV})

    assert [line.split(",")[0] for line in response.content.decode().splitlines()[1:]] == [ada.email]


def test_admin_export_runs_as_many_queries_for_ten_rows_as_for_one(admin_client, course, ada):
    services.enrollment_create(student=ada, course=course)
    with CaptureQueriesContext(connection) as for_one:
        admin_client.post(EXPORT_URL, {"format": CSV})
    for student in StudentFactory.create_batch(9):
        services.enrollment_create(student=student, course=course)

    with CaptureQueriesContext(connection) as for_ten:
        response = admin_client.post(EXPORT_URL, {"format": CSV})

    assert len(response.content.decode().splitlines()) == 11
    assert len(for_ten) == len(for_one)


def test_admin_xlsx_export_imports_again_as_it_is(admin_client, admin, course, ada, alan):
    """Round trip: import an XLSX, export it, revoke everything, import the exported file."""
    import_through_admin(
        admin_client, upload([ada.email, "astronomy"], [alan.email, course.pk], file_format="xlsx"), XLSX
    )
    exported = admin_client.post(EXPORT_URL, {"format": XLSX}).content
    header, *rows = load_workbook(io.BytesIO(exported)).active.iter_rows(values_only=True)
    assert list(header) == EXPORT_HEADERS
    assert sorted(row[:4] for row in rows) == [
        (ada.email, course.pk, "Astronomy", 0),
        (alan.email, course.pk, "Astronomy", 0),
    ]
    for enrollment in Enrollment.objects.all():
        services.enrollment_delete(enrollment=enrollment, user=admin)

    file = SimpleUploadedFile("enrolments.xlsx", exported)
    response = import_through_admin(admin_client, file, XLSX)

    assert messages_of(response)[-1][1].startswith("Import finished: 2 new")
    assert enrolled() == {(ada.email, "Astronomy"), (alan.email, "Astronomy")}


def test_enrolment_list_offers_import_and_export_to_admins(admin_client):
    html = admin_client.get(CHANGELIST_URL).text

    assert f'href="{IMPORT_URL}"' in html
    assert f'href="{EXPORT_URL}?' in html  # keeps the list's filters


@pytest.mark.parametrize("url", [IMPORT_URL, EXPORT_URL])
def test_staff_who_is_not_an_admin_cannot_import_or_export(client, student, course, ada, url):
    User.objects.filter(pk=student.pk).update(is_staff=True)
    activate_authenticator_app(student)  # staff pass the two-factor requirement; the role check is tested
    client.force_login(student)

    assert client.get(url).status_code == 403
    assert (
        client.post(url, {"format": CSV, "import_file": upload([ada.email, "astronomy"])}).status_code == 403
    )
    assert not Enrollment.objects.exists()
