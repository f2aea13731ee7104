"""A course's roster as CSV for its instructor (and admins): who is enrolled and how far they are."""

import csv

from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from django.utils.translation import gettext as _

from catalog.models import CoursePage
from catalog.selectors import course_is_managed_by
from lms_site.imports import spreadsheet_text

from .selectors import course_roster

HEADERS = (
    "student_name",
    "student_email",
    "enrolled_at",
    "progress_percentage",
    "lessons_completed",
    "last_accessed_at",
    "completed_at",
    "certificate_code",
)


class _Echo:
    """csv.writer's file: hands each line straight to the streaming response."""

    def write(self, line):
        return line


def roster_csv(request, course_id):
    course = get_object_or_404(CoursePage, pk=course_id)
    if not course_is_managed_by(course, request.user):
        raise PermissionDenied(_("Only the course's instructor and admins read its roster."))
    writer = csv.writer(_Echo())
    lines = (writer.writerow(row) for row in _rows(course))
    return StreamingHttpResponse(
        lines,
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="roster-{slugify(course.title)}.csv"'},
    )


def _rows(course):
    yield HEADERS
    for enrollment in course_roster(course).iterator(chunk_size=500):
        certificate = getattr(enrollment, "certificate", None)
        yield (
            spreadsheet_text(enrollment.student.get_full_name()),
            spreadsheet_text(enrollment.student.email),
            enrollment.enrolled_at.isoformat(),
            enrollment.progress_percentage,
            enrollment.lessons_completed,
            enrollment.last_accessed_at.isoformat() if enrollment.last_accessed_at else "",
            enrollment.completed_at.isoformat() if enrollment.completed_at else "",
            certificate.code if certificate else "",
        )
