"""Handed-in work and grades: hand in, read attempts, grade them, read a course's gradebook.

A submission is seen by its student, the course's instructor and admins, and is a 404 to anyone else, so
its existence does not leak; grading by anyone but the course's instructor or an admin is a 403. The
services check enrolment, locks, attempts, due dates and file limits; their refusals carry their codes.
"""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser

from catalog.models import CoursePage, LessonType
from catalog.selectors import lesson_access
from lms_site.api.responses import respond, validated
from lms_site.errors import NotAllowed, NotFound

from .. import selectors, services
from ..gradebook import GradeStatus, course_enrollments, gradebook, graded_items
from ..models import Submission
from ..services.assignments import MAX_FEEDBACK_LENGTH, MAX_LINK_LENGTH, MAX_TEXT_LENGTH
from .serializers import CourseRefSerializer, PersonSerializer
from .views import NO_LESSON, NOT_ENROLLED, TAGS, JSONView, LessonActionView, _refusal

# Shapes


class LessonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)


class SubmittedFileSerializer(serializers.Serializer):
    id = serializers.UUIDField(read_only=True)
    name = serializers.CharField(read_only=True)
    size = serializers.IntegerField(read_only=True, help_text="Bytes.")
    url = serializers.SerializerMethodField(
        help_text="The download, for the student, the course's instructor and admins only: send the "
        "same bearer token (or session) as for the API."
    )

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, file) -> str:
        return settings.SITE_URL.rstrip("/") + reverse("learners:submission_file", args=[file.pk])


class SubmissionSerializer(serializers.ModelSerializer):
    """One attempt at an assignment, with its grade once graded."""

    lesson = LessonRefSerializer(read_only=True)
    course = CourseRefSerializer(source="enrollment.course", read_only=True)
    student = PersonSerializer(source="enrollment.student", read_only=True)
    attempt = serializers.IntegerField(source="number", read_only=True, help_text="1 for the first.")
    text = serializers.CharField(read_only=True, help_text="Sanitised HTML.")
    files = SubmittedFileSerializer(many=True, read_only=True)
    passed = serializers.BooleanField(read_only=True, allow_null=True, help_text="Null until graded.")
    points = serializers.DecimalField(max_digits=6, decimal_places=2, read_only=True, allow_null=True)
    max_points = serializers.IntegerField(read_only=True, allow_null=True)
    graded_by = PersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Submission
        fields = [
            "id",
            "lesson",
            "course",
            "student",
            "attempt",
            "status",
            "text",
            "link",
            "files",
            "is_late",
            "submitted_at",
            "passed",
            "points",
            "max_points",
            "feedback",
            "graded_at",
            "graded_by",
        ]
        read_only_fields = fields


def _web_link():
    return serializers.URLField(
        required=False,
        allow_blank=True,
        max_length=MAX_LINK_LENGTH,
        help_text="An http or https address of the work (a repository, a shared document).",
    )


class SubmissionUploadSerializer(serializers.Serializer):
    text = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=MAX_TEXT_LENGTH,
        trim_whitespace=False,
        help_text="Plain text or basic HTML; anything but paragraphs, emphasis, lists and links is removed.",
    )
    link = _web_link()
    files = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        help_text="Files of the types the assignment takes, each within its size limit.",
    )


class GradeWriteSerializer(serializers.Serializer):
    passed = serializers.BooleanField(required=False, help_text="Pass-or-fail assignments.")
    points = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text="Assignments graded in points: from 0 to the assignment's maximum; the pass mark decides.",
    )
    feedback = serializers.CharField(
        required=False, allow_blank=True, max_length=MAX_FEEDBACK_LENGTH, default=""
    )


class SubmissionFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Submission.Status.choices, required=False)
    student = serializers.UUIDField(required=False, help_text="A student's user id (the instructor, admins).")


class GradeCellSerializer(serializers.Serializer):
    """One student's standing on one graded lesson (a `learners.gradebook.Grade`)."""

    lesson = serializers.IntegerField(source="lesson.pk", read_only=True)
    title = serializers.CharField(source="lesson.title", read_only=True)
    type = serializers.ChoiceField(
        source="kind", choices=LessonType.choices, read_only=True, help_text="quiz or assignment."
    )
    status = serializers.ChoiceField(choices=GradeStatus.choices, read_only=True)
    attempts = serializers.IntegerField(read_only=True)
    score = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text="Quizzes: the best score, %.",
    )
    points = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        help_text="Assignments graded in points.",
    )
    max_points = serializers.IntegerField(read_only=True, allow_null=True)


class GradebookRowSerializer(serializers.Serializer):
    """A student of the course and their grades, in outline order (a `learners.gradebook.GradebookRow`)."""

    enrollment = serializers.UUIDField(source="enrollment.pk", read_only=True)
    student = PersonSerializer(source="enrollment.student", read_only=True)
    progress_percentage = serializers.DecimalField(
        source="enrollment.progress_percentage", max_digits=5, decimal_places=2, read_only=True
    )
    completed_at = serializers.DateTimeField(
        source="enrollment.completed_at", read_only=True, allow_null=True
    )
    grades = GradeCellSerializer(many=True, read_only=True)


# Views

NOT_VISIBLE = _refusal("not_found", "no such submission, or not one you may see.")


def _submission_data(request) -> dict:
    """The text, link and files of a hand-in (a multipart body), checked for shape."""
    data = request.data
    return validated(
        SubmissionUploadSerializer,
        {"text": data.get("text", ""), "link": data.get("link", ""), "files": data.getlist("files")},
    )


@extend_schema(tags=TAGS)
class LessonSubmissionsView(LessonActionView):
    """Work handed in on an assignment lesson: the student's own attempts; every student's for the
    course's instructor and admins."""

    serializer_class = SubmissionSerializer
    parser_classes = [MultiPartParser]  # work may come with files: one body format, as clients expect

    @extend_schema(
        parameters=[SubmissionFilterSerializer],
        responses={200: SubmissionSerializer(many=True), 404: NO_LESSON},
    )
    def get(self, request, lesson_id):
        if not lesson_access(self.lesson, request.user).can_view_outline:
            raise NotFound(_("There is no lesson here."))
        filters = validated(SubmissionFilterSerializer, request.query_params)
        submissions = selectors.lesson_submissions(self.lesson, request.user)
        if "status" in filters:
            submissions = submissions.filter(status=filters["status"])
        if "student" in filters:
            submissions = submissions.filter(enrollment__student_id=filters["student"])
        page = self.paginate_queryset(submissions)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        request={"multipart/form-data": SubmissionUploadSerializer},
        responses={
            201: SubmissionSerializer,
            200: OpenApiResponse(
                SubmissionSerializer,
                description="The same work was handed in already and awaits a grade: that attempt.",
            ),
            400: _refusal(
                "validation_error",
                "nothing to hand in, a link that is not http(s), or files of a type or size the assignment "
                "does not take (`error.details.files` names each); nothing is stored.",
            ),
            403: NOT_ENROLLED,
            404: _refusal("not_found", "no such lesson, it is not published, or it is not an assignment."),
            409: _refusal(
                "lesson_locked",
                "the lesson is locked (sequential courses); `conflict`: the work passed already, the "
                "attempts are used up, or it is late and the assignment takes no late work.",
            ),
        },
    )
    def post(self, request, lesson_id):
        submission, is_new = services.submission_create(
            student=request.user, lesson=self.lesson, **_submission_data(request)
        )
        submission = selectors.submissions_visible_to(request.user).get(pk=submission.pk)
        if is_new:
            return respond(
                self.get_serializer(submission).data,
                message=_("Your work is handed in."),
                status_code=status.HTTP_201_CREATED,
            )
        return respond(self.get_serializer(submission).data, message=_("This work was handed in already."))


@extend_schema(tags=TAGS, responses={200: SubmissionSerializer, 404: NOT_VISIBLE})
class SubmissionView(JSONView):
    """One attempt: for its student, the course's instructor and admins."""

    serializer_class = SubmissionSerializer
    lookup_value_converter = "uuid"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Submission.objects.none()
        return selectors.submissions_visible_to(self.request.user)

    def get(self, request, pk):
        return respond(self.get_serializer(self.get_object()).data)


@extend_schema(tags=TAGS)
class SubmissionGradeView(JSONView):
    """Grade an attempt, once: pass or fail, or points (the pass mark decides), with feedback. A pass
    completes the lesson, and at 100% the course, with its certificate; the student is emailed."""

    serializer_class = SubmissionSerializer

    @extend_schema(
        request=GradeWriteSerializer,
        responses={
            200: SubmissionSerializer,
            400: _refusal(
                "validation_error",
                "`passed` for an assignment graded in points, `points` outside 0 to its maximum or for a "
                "pass-or-fail one, or neither given.",
            ),
            403: _refusal("permission_denied", "only the course's instructor and admins grade its work."),
            404: _refusal("not_found", "no such submission."),
            409: _refusal("conflict", "the attempt is graded already, or a later attempt replaced it."),
        },
    )
    def post(self, request, pk):
        grade = validated(GradeWriteSerializer, request.data)
        submission = get_object_or_404(Submission.objects.select_related("lesson"), pk=pk)
        services.submission_grade(submission=submission, grader=request.user, **grade)
        submission = selectors.submissions_visible_to(request.user).get(pk=pk)
        message = _("Graded: passed.") if submission.passed else _("Graded: not passed.")
        return respond(self.get_serializer(submission).data, message=message)


@extend_schema(tags=TAGS)
class CourseGradebookView(JSONView):
    """A course's students by graded item, by name: quizzes with the best score, assignments with the
    latest attempt's grade. The course's instructor and admins read every student; a student their own row."""

    serializer_class = GradebookRowSerializer

    @cached_property
    def course(self) -> CoursePage:
        return get_object_or_404(
            CoursePage.objects.visible_to(self.request.user), pk=self.kwargs["course_id"]
        )

    @extend_schema(
        responses={
            200: GradebookRowSerializer(many=True),
            403: _refusal("permission_denied", "neither the course's instructor, an admin, nor its student."),
            404: _refusal("not_found", "no such course."),
        }
    )
    def get(self, request, course_id):
        enrollments = course_enrollments(self.course)
        if not selectors.can_grade(request.user, self.course):
            enrollments = enrollments.filter(student=request.user)
            if not enrollments.exists():
                raise NotAllowed(_("Only the course's instructor, admins and its students read its grades."))
        page = self.paginate_queryset(enrollments)
        rows = gradebook(graded_items(self.course), page)
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)
