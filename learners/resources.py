"""Enrolments as spreadsheet rows for the admin's export and import (django-import-export)."""

from import_export import fields, resources, widgets

from lms_site.resources import ServiceImportResource

from . import imports
from .models import Enrollment

EXPORT_COLUMNS = (
    "student_email",
    "course",
    "course_title",
    "progress_percentage",
    "enrolled_at",
    "completed_at",
)


class EnrollmentResource(resources.ModelResource):
    """The course column holds the page id, so an exported file can be imported again as it is."""

    student_email = fields.Field(attribute="student__email", column_name="student_email", readonly=True)
    course = fields.Field(
        attribute="course_id", column_name="course", readonly=True, widget=widgets.IntegerWidget()
    )
    course_title = fields.Field(attribute="course__title", column_name="course_title", readonly=True)

    class Meta:
        model = Enrollment
        fields = EXPORT_COLUMNS
        export_order = EXPORT_COLUMNS

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

    def describe_row(self, instance):
        return [instance.student.email, instance.course.title]
