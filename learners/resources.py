"""Learning as spreadsheet rows for the admin's export and import (django-import-export): enrolments,
reviews, lesson progress and certificates."""

from import_export import fields, widgets

from lms_site.resources import ServiceEditResource, ServiceImportResource, SpreadsheetResource

from . import imports
from .certificates import verification_url
from .models import Certificate, Enrollment, LessonProgress, Review

ENROLLMENT_COLUMNS = (
    "student_email",
    "course",
    "course_title",
    "progress_percentage",
    "enrolled_at",
    "completed_at",
)
REVIEW_COLUMNS = ("student_email", "course", "course_title", "rating", "comment", "created_at", "updated_at")
PROGRESS_COLUMNS = (
    "student_email",
    "course",
    "course_title",
    "lesson",
    "lesson_title",
    "status",
    "position_seconds",
    "completed_at",
    "last_accessed_at",
)
CERTIFICATE_COLUMNS = (
    "code",
    "holder_name",
    "student_email",
    "course",
    "course_title",
    "issued_at",
    "verification_url",
)


def of_student_in_course(path: str = "") -> type[SpreadsheetResource]:
    """Columns naming a row's student and course, reached through `path` ("enrollment__" or none).

    The course column holds the page id, so an exported file can be imported again as it is.
    """

    class StudentInCourse(SpreadsheetResource):
        student_email = fields.Field(
            attribute=f"{path}student__email", column_name="student_email", readonly=True
        )
        course = fields.Field(
            attribute=f"{path}course_id", column_name="course", readonly=True, widget=widgets.IntegerWidget()
        )
        course_title = fields.Field(
            attribute=f"{path}course__title", column_name="course_title", readonly=True
        )

    return StudentInCourse


class EnrollmentResource(of_student_in_course()):
    class Meta:
        model = Enrollment
        fields = ENROLLMENT_COLUMNS
        export_order = ENROLLMENT_COLUMNS

    def get_queryset(self):
        return super().get_queryset().select_related("student", "course")


class EnrollmentImportResource(ServiceImportResource, EnrollmentResource):
    """Grants through learners.imports: every enrolment of the file, paid courses included, or none."""

    columns = imports.COLUMNS

    class Meta(EnrollmentResource.Meta):
        fields = imports.COLUMNS

    def check_rows(self, rows):
        return [
            Enrollment(student=grant.student, course=grant.course)
            for grant in imports.enrollments_import_check(rows=rows)
        ]

    def import_rows(self, rows, *, user):
        return imports.enrollments_import(rows=rows, imported_by=user)

    def describe_row(self, item):
        return [item.student.email, item.course.title]


class ReviewResource(of_student_in_course()):
    class Meta:
        model = Review
        fields = REVIEW_COLUMNS
        export_order = REVIEW_COLUMNS


class ReviewImportResource(ServiceEditResource, ReviewResource):
    """Reviews through learners.services, matched by student and course; unchanged rows are skipped."""

    columns = imports.REVIEW_COLUMNS
    check = staticmethod(imports.reviews_import_check)
    write = staticmethod(imports.reviews_import)

    class Meta(ReviewResource.Meta):
        fields = imports.REVIEW_COLUMNS

    def describe_row(self, item):
        return [item.review.student.email, item.review.course_id, item.rating, item.comment]


class LessonProgressResource(of_student_in_course("enrollment__")):
    lesson = fields.Field(
        attribute="lesson_id", column_name="lesson", readonly=True, widget=widgets.IntegerWidget()
    )
    lesson_title = fields.Field(attribute="lesson__title", column_name="lesson_title", readonly=True)

    class Meta:
        model = LessonProgress
        fields = PROGRESS_COLUMNS
        export_order = PROGRESS_COLUMNS


class LessonProgressImportResource(ServiceEditResource, LessonProgressResource):
    """Lessons completed or started through learners.services, matched by student and lesson."""

    columns = imports.PROGRESS_COLUMNS
    check = staticmethod(imports.progress_import_check)
    write = staticmethod(imports.progress_import)

    class Meta(LessonProgressResource.Meta):
        fields = imports.PROGRESS_COLUMNS

    def describe_row(self, item):
        return [item.student.email, item.lesson.pk, item.status]


class CertificateResource(of_student_in_course("enrollment__")):
    """Export only: certificates are issued by completing a course, never by a file."""

    verification_url = fields.Field(column_name="verification_url", readonly=True)

    class Meta:
        model = Certificate
        fields = CERTIFICATE_COLUMNS
        export_order = CERTIFICATE_COLUMNS

    def dehydrate_verification_url(self, certificate):
        return verification_url(certificate)
