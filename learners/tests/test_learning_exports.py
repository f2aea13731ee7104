"""Reviews, lesson progress and certificates in and out of spreadsheets: the imports through the learning
services, and the admin's export and import on top."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from catalog.models import CourseStats
from lms_site.errors import NotAllowed
from lms_site.imports import ImportRejected
from lms_site.models import User
from lms_site.tests.admin_client import CSV, XLSX, AdminImport, messages_of
from lms_site.tests.factories import StudentFactory, activate_authenticator_app

from .. import imports, services
from ..certificates import verification_url
from ..models import Certificate, Enrollment, LessonProgress, Review
from .factories import first_lesson_done, lessons_of, published_course, reviewed

pytestmark = pytest.mark.django_db

REVIEWS = AdminImport("learners_review", list(imports.REVIEW_COLUMNS))
PROGRESS = AdminImport("learners_lessonprogress", list(imports.PROGRESS_COLUMNS))
FORMATS = pytest.mark.parametrize(("file_format", "extension"), [(CSV, "csv"), (XLSX, "xlsx")])


@pytest.fixture
def course(admin):
    return published_course(admin=admin, title="Astronomy", slug="astronomy", lessons_per_section=3)


@pytest.fixture
def ada(course):
    student = StudentFactory(email="ada@example.com")
    services.enrollment_create(student=student, course=course)
    return student


@pytest.fixture
def alan(course):
    student = StudentFactory(email="alan@example.com")
    services.enrollment_create(student=student, course=course)
    return student


def stats(course):
    return CourseStats.objects.values_list("review_count", "average_rating", "completion_count").get(
        pk=course.pk
    )


def reviews():
    return sorted(Review.objects.values_list("student__email", "course_id", "rating", "comment"))


def progress():
    return sorted(LessonProgress.objects.values_list("enrollment__student__email", "lesson_id", "status"))


def export(client, model, file_format=CSV):
    return client.post(reverse(f"admin:learners_{model}_export"), {"format": file_format}).content


def reimport(client, spreadsheet, content, file_format, extension):
    return spreadsheet.through_admin(client, SimpleUploadedFile(f"export.{extension}", content), file_format)


def refused_for_staff(client, user, spreadsheet, *values):
    """A staff member who is not a role-admin is refused both the import and the export."""
    User.objects.filter(pk=user.pk).update(is_staff=True)
    activate_authenticator_app(user)  # staff pass the two-factor requirement; the role check is tested
    client.force_login(user)
    urls = [spreadsheet.url("import"), spreadsheet.url("export")]
    return [
        (
            client.get(url).status_code,
            client.post(url, {"format": CSV, "import_file": spreadsheet.upload(*values)}).status_code,
        )
        for url in urls
    ]


# Reviews


def test_review_import_creates_updates_and_skips_through_the_services(admin, course, ada, alan):
    first_lesson_done(ada, course)
    reviewed(student=alan, course=course, rating=2, comment="Too fast.")
    bea = StudentFactory(email="bea@example.com")
    services.enrollment_create(student=bea, course=course)
    reviewed(student=bea, course=course, rating=5, comment="Great.")

    edits = imports.reviews_import(
        rows=REVIEWS.rows(
            [ada.email, course.pk, 4, "Clear."],
            [alan.email, course.pk, 4.0, "Better now."],
            [bea.email, course.pk, 5, "Great."],
        ),
        imported_by=admin,
    )

    assert [(edit.is_new, edit.changed) for edit in edits] == [(True, True), (False, True), (False, False)]
    assert reviews() == [
        (ada.email, course.pk, 4, "Clear."),
        (alan.email, course.pk, 4, "Better now."),
        (bea.email, course.pk, 5, "Great."),
    ]
    assert stats(course)[:2] == (3, Decimal("4.33"))


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        (["ghost@example.com", None, 4, ""], "student_email", "There is no account with ghost@example.com."),
        (
            ["bea@example.com", None, 4, ""],
            "student_email",
            "bea@example.com is not enrolled in “Astronomy”.",
        ),
        (["ada@example.com", 999999, 4, ""], "course", "There is no course “999999”."),
        (["ada@example.com", None, 6, ""], "rating", "Give a whole number from 1 to 5."),
        (["ada@example.com", None, "", ""], "rating", "Give a whole number from 1 to 5."),
    ],
    ids=["unknown-student", "not-enrolled", "unknown-course", "rating-too-high", "no-rating"],
)
def test_a_bad_review_row_writes_nothing_and_is_named(admin, course, ada, alan, row, field, message):
    StudentFactory(email="bea@example.com")
    row = [row[0], row[1] or course.pk, *row[2:]]

    with pytest.raises(ImportRejected) as refusal:
        imports.reviews_import(rows=REVIEWS.rows([alan.email, course.pk, 5, "Fine."], row), imported_by=admin)

    assert refusal.value.row_errors == {2: {field: [message]}}
    assert not Review.objects.exists()
    assert stats(course)[:2] == (0, Decimal("0"))


def test_a_review_twice_in_the_file_is_refused_naming_the_first_row(admin, course, ada):
    with pytest.raises(ImportRejected) as refusal:
        imports.reviews_import(
            rows=REVIEWS.rows([ada.email, course.pk, 5, ""], [ada.email.upper(), course.pk, 4, ""]),
            imported_by=admin,
        )

    assert refusal.value.row_errors == {
        2: {"student_email": ["ada@example.com in “Astronomy” is already on row 1."]}
    }


def test_only_admins_may_import_reviews(instructor, course, ada):
    with pytest.raises(NotAllowed):
        imports.reviews_import(rows=REVIEWS.rows([ada.email, course.pk, 5, ""]), imported_by=instructor)


def test_review_export_has_the_resource_columns(admin_client, course, ada):
    reviewed(student=ada, course=course, rating=4, comment="Clear.")

    header, line = export(admin_client, "review").decode().splitlines()

    assert header == "student_email,course,course_title,rating,comment,created_at,updated_at"
    assert line.startswith(f"{ada.email},{course.pk},Astronomy,4,Clear.,")


def test_review_import_preview_writes_nothing_and_names_the_bad_row(admin_client, course, ada):
    good = REVIEWS.preview(admin_client, REVIEWS.upload([ada.email, course.pk, 5, "Great."]))
    bad = REVIEWS.preview(
        admin_client, REVIEWS.upload([ada.email, course.pk, 5, ""], [ada.email, course.pk, 9, ""])
    )

    assert [row.import_type for row in good.context["result"].valid_rows()] == ["new"]
    assert "confirm_form" not in bad.context
    assert bad.context["result"].invalid_rows[0].number == 2
    assert not Review.objects.exists()


@FORMATS
def test_reviews_export_then_import_leaves_them_unchanged(
    admin_client, course, ada, alan, file_format, extension
):
    reviewed(student=ada, course=course, rating=4, comment="Clear.")
    reviewed(student=alan, course=course, rating=2, comment="")
    before, rating = reviews(), stats(course)
    content = export(admin_client, "review", file_format)

    response = reimport(admin_client, REVIEWS, content, file_format, extension)

    assert messages_of(response) == [
        ("success", "Import finished: 0 new, 0 updated, 0 deleted and 2 skipped reviews.")
    ]
    assert (reviews(), stats(course)) == (before, rating)


def test_staff_who_is_not_an_admin_cannot_import_or_export_reviews(client, instructor, course, ada):
    assert (
        refused_for_staff(client, instructor, REVIEWS, [ada.email, course.pk, 1, "Bad."]) == [(403, 403)] * 2
    )
    assert not Review.objects.exists()


# Lesson progress


def test_progress_import_completes_lessons_and_the_certificate_follows(admin, course, ada):
    first, second, third = lessons_of(course)
    services.progress_record(student=ada, lesson=first)

    edits = imports.progress_import(
        rows=PROGRESS.rows(
            [ada.email, third.pk, "completed"],
            [ada.email, first.pk, "completed"],
            [ada.email, second.pk, "completed"],
        ),
        imported_by=admin,
    )

    assert [(edit.is_new, edit.changed) for edit in edits] == [(True, True), (False, True), (True, True)]
    enrollment = Enrollment.objects.get(student=ada)
    assert (enrollment.progress_percentage, enrollment.completed_at is not None) == (Decimal("100.00"), True)
    assert Certificate.objects.filter(enrollment=enrollment).count() == 1
    assert stats(course)[2] == 1


def test_progress_import_records_a_started_lesson_and_skips_what_is_already_so(admin, course, ada):
    first, second, _third = lessons_of(course)
    services.lesson_complete(student=ada, lesson=first)

    edits = imports.progress_import(
        rows=PROGRESS.rows([ada.email, first.pk, "completed"], [ada.email, second.pk, "in_progress"]),
        imported_by=admin,
    )

    assert [(edit.is_new, edit.changed) for edit in edits] == [(False, False), (True, True)]
    assert progress() == [(ada.email, first.pk, "completed"), (ada.email, second.pk, "in_progress")]


def test_sequential_course_refuses_a_lesson_whose_predecessor_stays_incomplete(admin, ada, course):
    course.is_sequential = True
    course.save_revision(user=admin).publish(user=admin)
    first, _second, third = lessons_of(course)

    with pytest.raises(ImportRejected) as refusal:
        imports.progress_import(
            rows=PROGRESS.rows([ada.email, first.pk, "completed"], [ada.email, third.pk, "completed"]),
            imported_by=admin,
        )

    assert list(refusal.value.row_errors) == [2]
    assert "is still locked for ada@example.com" in refusal.value.row_errors[2]["status"][0]
    assert not LessonProgress.objects.exists()


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        (
            ["ghost@example.com", "first", "completed"],
            "student_email",
            "There is no account with ghost@example.com.",
        ),
        (
            ["bea@example.com", "first", "completed"],
            "student_email",
            "bea@example.com is not enrolled in “Astronomy”.",
        ),
        (["ada@example.com", 999999, "completed"], "lesson", "There is no lesson “999999”."),
        (["ada@example.com", "first", "done"], "status", "Give completed or in_progress."),
        (["ada@example.com", "done", "in_progress"], "status", "an import cannot undo that."),
    ],
    ids=["unknown-student", "not-enrolled", "unknown-lesson", "bad-status", "undo-completion"],
)
def test_a_bad_progress_row_writes_nothing_and_is_named(admin, course, ada, alan, row, field, message):
    first, second, _third = lessons_of(course)
    services.lesson_complete(student=ada, lesson=second)
    StudentFactory(email="bea@example.com")
    lesson = {"first": first.pk, "done": second.pk}.get(row[1], row[1])
    before = progress()

    with pytest.raises(ImportRejected) as refusal:
        imports.progress_import(
            rows=PROGRESS.rows([alan.email, first.pk, "completed"], [row[0], lesson, row[2]]),
            imported_by=admin,
        )

    assert list(refusal.value.row_errors) == [2]
    [text] = refusal.value.row_errors[2][field]
    assert message in text
    assert progress() == before


def test_a_quiz_is_completed_only_once_passed(admin, ada):
    quiz_course = published_course(admin=admin, title="Logic", lesson_types=("quiz",))
    services.enrollment_create(student=ada, course=quiz_course)
    [quiz] = lessons_of(quiz_course)

    with pytest.raises(ImportRejected) as refusal:
        imports.progress_import(rows=PROGRESS.rows([ada.email, quiz.pk, "completed"]), imported_by=admin)

    assert refusal.value.row_errors == {
        1: {"status": [f"ada@example.com has not passed the quiz “{quiz.title}”."]}
    }


def test_an_assignment_is_never_completed_by_import(admin, ada):
    project_course = published_course(admin=admin, title="Projects", lesson_types=("assignment",))
    services.enrollment_create(student=ada, course=project_course)
    [project] = lessons_of(project_course)

    with pytest.raises(ImportRejected) as refusal:
        imports.progress_import(rows=PROGRESS.rows([ada.email, project.pk, "completed"]), imported_by=admin)

    assert refusal.value.row_errors == {
        1: {"status": [f"“{project.title}” is complete once ada@example.com's work is graded as passing."]}
    }


def test_only_admins_may_import_progress(instructor, course, ada):
    with pytest.raises(NotAllowed):
        imports.progress_import(
            rows=PROGRESS.rows([ada.email, lessons_of(course)[0].pk, "completed"]), imported_by=instructor
        )


def test_progress_export_has_the_resource_columns(admin_client, course, ada):
    first = lessons_of(course)[0]
    services.lesson_complete(student=ada, lesson=first)

    header, line = export(admin_client, "lessonprogress").decode().splitlines()

    assert header == (
        "student_email,course,course_title,lesson,lesson_title,status,position_seconds,completed_at,last_accessed_at"
    )
    assert line.startswith(f"{ada.email},{course.pk},Astronomy,{first.pk},{first.title},completed,0,")


def test_progress_import_through_the_admin_counts_new_and_skipped_rows(admin_client, course, ada):
    first, second, _third = lessons_of(course)
    services.lesson_complete(student=ada, lesson=first)
    file = PROGRESS.upload([ada.email, first.pk, "completed"], [ada.email, second.pk, "completed"])

    preview = PROGRESS.preview(admin_client, file)
    assert [row.import_type for row in preview.context["result"].valid_rows()] == ["skip", "new"]
    assert len(progress()) == 1
    response = PROGRESS.confirm(admin_client, preview)

    assert messages_of(response) == [
        ("success", "Import finished: 1 new, 0 updated, 0 deleted and 1 skipped lesson progress.")
    ]
    assert progress() == [(ada.email, first.pk, "completed"), (ada.email, second.pk, "completed")]


@FORMATS
def test_progress_export_then_import_leaves_it_unchanged(
    admin_client, course, ada, alan, file_format, extension
):
    first, second, _third = lessons_of(course)
    services.lesson_complete(student=ada, lesson=first)
    services.progress_record(student=ada, lesson=second, position_seconds=42)
    services.lesson_complete(student=alan, lesson=second)
    before = list(LessonProgress.objects.order_by("pk").values())
    content = export(admin_client, "lessonprogress", file_format)

    response = reimport(admin_client, PROGRESS, content, file_format, extension)

    assert messages_of(response) == [
        ("success", "Import finished: 0 new, 0 updated, 0 deleted and 3 skipped lesson progress.")
    ]
    assert list(LessonProgress.objects.order_by("pk").values()) == before


def test_staff_who_is_not_an_admin_cannot_import_or_export_progress(client, instructor, course, ada):
    row = [ada.email, lessons_of(course)[0].pk, "completed"]

    assert refused_for_staff(client, instructor, PROGRESS, row) == [(403, 403)] * 2
    assert not LessonProgress.objects.exists()


# Certificates: exported, never imported


@pytest.fixture
def certificate(admin, ada):
    small = published_course(admin=admin, title="Botany", slug="botany")
    services.enrollment_create(student=ada, course=small)
    services.lesson_complete(student=ada, lesson=lessons_of(small)[0])
    return Certificate.objects.select_related("enrollment__course").get(enrollment__student=ada)


@FORMATS
def test_certificate_export_has_the_resource_columns(admin_client, certificate, file_format, extension):
    content = export(admin_client, "certificate", file_format)

    if file_format == XLSX:
        header, row = load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)
    else:
        header, row = (line.split(",") for line in content.decode().splitlines())
    assert list(header) == [
        "code",
        "holder_name",
        "student_email",
        "course",
        "course_title",
        "issued_at",
        "verification_url",
    ]
    course = certificate.enrollment.course
    assert [str(value) for value in (*row[:5], row[6])] == [
        certificate.code,
        certificate.enrollment.student.full_name,
        "ada@example.com",
        str(course.pk),
        "Botany",
        verification_url(certificate),
    ]


def test_certificates_cannot_be_imported_even_by_admins(admin_client, certificate):
    url = reverse("admin:learners_certificate_import")

    assert admin_client.get(url).status_code == 403
    html = admin_client.get(reverse("admin:learners_certificate_changelist")).text
    assert f'href="{url}"' not in html
    assert f'href="{reverse("admin:learners_certificate_export")}?' in html


def test_staff_who_is_not_an_admin_cannot_export_certificates(client, instructor, certificate):
    User.objects.filter(pk=instructor.pk).update(is_staff=True)
    activate_authenticator_app(instructor)  # staff pass the two-factor requirement; the role check is tested
    client.force_login(instructor)

    assert client.post(reverse("admin:learners_certificate_export"), {"format": CSV}).status_code == 403
