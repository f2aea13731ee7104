"""Grading in the CMS (/cms/learning/...): the queue of work awaiting a grade, one piece of work with its
grade form, and a course's gradebook with its CSV and XLSX exports.

Only the course's instructor and admins reach them; anyone else is refused as Wagtail refuses any CMS
page (students never get into the CMS at all). Grades are given through learners.services.
"""

from decimal import Decimal

import tablib
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from catalog.models import CoursePage
from lms_site.errors import DomainError
from lms_site.imports import formula_escaped

from . import selectors, services
from .forms import GradeForm
from .gradebook import GradebookRow, GradedItem, course_enrollments, gradebook, graded_items
from .models import Submission

CENTS = Decimal("0.01")
QUEUE_PAGE_SIZE = 25
GRADEBOOK_PAGE_SIZE = 50
EXPORT_FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _whole_number(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class GradingQueueView(WagtailAdminTemplateMixin, TemplateView):
    """Work awaiting a grade, oldest first; `?course=` or `?lesson=` narrows it."""

    template_name = "learners/cms/grading_queue.html"
    page_title = gettext_lazy("To grade")
    header_icon = "tasks"

    def get_context_data(self, **kwargs):
        user = self.request.user
        queue = selectors.grading_queue(user)
        if course_id := _whole_number(self.request.GET.get("course")):
            queue = queue.filter(enrollment__course_id=course_id)
        if lesson_id := _whole_number(self.request.GET.get("lesson")):
            queue = queue.filter(lesson_id=lesson_id)
        return super().get_context_data(
            page=Paginator(queue, QUEUE_PAGE_SIZE).get_page(self.request.GET.get("p")),
            by_course=selectors.awaiting_by_course(user),
            course_id=course_id,
            **kwargs,
        )


class SubmissionGradingView(WagtailAdminTemplateMixin, TemplateView):
    """One attempt: the work, the student's other attempts, and the grade form while it awaits a grade."""

    template_name = "learners/cms/submission.html"
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        found = get_object_or_404(Submission.objects.select_related("lesson"), pk=kwargs["submission_id"])
        if not selectors.can_grade(request.user, found.lesson.course):
            raise PermissionDenied
        self.submission = selectors.submissions_visible_to(request.user).get(pk=found.pk)
        self.rules = selectors.assignment_rules(self.submission.lesson)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("%(lesson)s: attempt %(number)d") % {
            "lesson": self.submission.lesson.title,
            "number": self.submission.number,
        }

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("learners_grading_queue"), "label": _("To grade")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, form=None, **kwargs):
        submission = self.submission
        attempts = selectors.attempts_of(submission.enrollment, submission.lesson)
        if form is None and submission.status == Submission.Status.SUBMITTED:
            form = GradeForm(rules=self.rules)
        return super().get_context_data(
            submission=submission,
            other_attempts=[attempt for attempt in attempts if attempt.pk != submission.pk],
            rules=self.rules,
            form=form,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = GradeForm(request.POST, rules=self.rules)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            services.submission_grade(submission=self.submission, grader=request.user, **form.grade())
        except DomainError as error:
            messages.error(request, error.full_message())
            return redirect("learners_submission", self.submission.pk)
        student = self.submission.enrollment.student
        messages.success(
            request, _("Graded. %(student)s is told by email.") % {"student": student.get_full_name()}
        )
        return redirect("learners_grading_queue")


class GradebookView(WagtailAdminTemplateMixin, TemplateView):
    """A course's students by graded item, a page at a time, with the whole of it as CSV or XLSX."""

    template_name = "learners/cms/gradebook.html"
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        self.course = course_for_grading(request, kwargs["course_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Gradebook: %(course)s") % {"course": self.course.title}

    def get_context_data(self, **kwargs):
        items = graded_items(self.course)
        enrollments = course_enrollments(self.course)
        page = Paginator(enrollments, GRADEBOOK_PAGE_SIZE).get_page(self.request.GET.get("p"))
        return super().get_context_data(
            course=self.course,
            items=items,
            page=page,
            rows=gradebook(items, page),
            exports={name: export_url(self.course.pk, name) for name in EXPORT_FORMATS},
            **kwargs,
        )


def export_url(course_id: int, export_format: str) -> str:
    return reverse("learners_gradebook_export", args=[course_id, export_format])


def course_for_grading(request, course_id) -> CoursePage:
    course = get_object_or_404(CoursePage.objects.select_related("owner"), pk=course_id)
    if not selectors.can_grade(request.user, course):
        raise PermissionDenied
    return course


def gradebook_export(request, course_id, export_format):
    """The whole gradebook as a file; every free-text cell (names, addresses, titles) kept as text."""
    course = course_for_grading(request, course_id)
    items = graded_items(course)
    dataset = tablib.Dataset(headers=_headers(items))
    for row in gradebook(items, course_enrollments(course)):
        dataset.append(_cells(row))
    filename = f"gradebook-{slugify(course.title) or course.pk}.{export_format}"
    return HttpResponse(
        dataset.export(export_format),
        content_type=EXPORT_FORMATS[export_format],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _headers(items: list[GradedItem]) -> list[str]:
    units = {"percent": _("best %"), "pass_fail": _("pass/fail"), "points": _("points")}
    return [
        "student_name",
        "student_email",
        "progress_percentage",
        "completed_at",
        *(formula_escaped(f"{item.lesson.title} ({units[item.grading]})") for item in items),
    ]


def _cells(row: GradebookRow) -> list:
    enrollment = row.enrollment
    return [
        formula_escaped(enrollment.student.get_full_name()),
        formula_escaped(enrollment.student.email),
        enrollment.progress_percentage,
        enrollment.completed_at.isoformat() if enrollment.completed_at else "",
        *(_grade_cell(grade) for grade in row.grades),
    ]


def _grade_cell(grade):
    """A number with two decimals where there is one (best score, points), else the status in words."""
    number = grade.score if grade.score is not None else grade.points
    if number is not None:
        return number.quantize(CENTS)
    return str(grade.get_status_display())
