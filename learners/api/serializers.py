"""Shapes of the learning API: read serializers shape rows, write serializers check input for the services."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from catalog.api.serializers import CourseCardSerializer
from catalog.models import LessonType
from lms_site.api.serializers import PersonSerializer
from lms_site.converters import MAX_INTEGER
from lms_site.links import absolute_url

from ..certificates import verification_url
from ..models import Certificate, Enrollment, LessonProgress, Review


class WholeNumberField(serializers.IntegerField):
    """A JSON integer, nothing else: "5", 4.0 and true are refused rather than coerced."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


# Certificates


class CertificateLinksSerializer(serializers.ModelSerializer):
    verify_url = serializers.SerializerMethodField(help_text="The public verification page.")
    pdf_url = serializers.SerializerMethodField(help_text="The PDF download; null until a worker renders it.")

    class Meta:
        model = Certificate
        fields = ["code", "verify_url", "pdf_url"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_verify_url(self, certificate) -> str:
        return verification_url(certificate)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_pdf_url(self, certificate) -> str | None:
        if not certificate.pdf:
            return None
        return absolute_url(reverse("learners:certificate_pdf", args=[certificate.code]))


class CourseRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)


class CertificateSerializer(CertificateLinksSerializer):
    course = CourseRefSerializer(source="enrollment.course", read_only=True)

    class Meta(CertificateLinksSerializer.Meta):
        fields = ["code", "course", "issued_at", "pdf_url", "verify_url"]
        read_only_fields = fields


class CertificateVerificationSerializer(serializers.ModelSerializer):
    """What anyone holding the code may check, and nothing more."""

    holder_name = serializers.CharField(
        source="public_holder_name", read_only=True, help_text="The name the certificate was issued in."
    )
    course_title = serializers.CharField(source="enrollment.course.title", read_only=True)
    instructor_name = serializers.CharField(source="enrollment.course.owner.public_name", read_only=True)
    valid = serializers.SerializerMethodField(help_text="Every issued certificate is valid.")

    class Meta:
        model = Certificate
        fields = ["code", "holder_name", "course_title", "instructor_name", "issued_at", "valid"]
        read_only_fields = fields

    def get_valid(self, certificate) -> bool:
        return True


# Enrolments


class CourseSummarySerializer(CourseCardSerializer):
    """The course as a learner's dashboard shows it: some of the card's fields, shaped alike."""

    class Meta(CourseCardSerializer.Meta):
        fields = ["id", "title", "slug", "url", "thumbnail", "instructor"]
        read_only_fields = fields


class EnrollmentSerializer(serializers.ModelSerializer):
    course = CourseSummarySerializer(read_only=True)
    student = PersonSerializer(read_only=True)
    certificate = serializers.SerializerMethodField(
        help_text="The certificate's code once the course is complete."
    )

    class Meta:
        model = Enrollment
        fields = [
            "id",
            "course",
            "student",
            "source",
            "progress_percentage",
            "enrolled_at",
            "last_accessed_at",
            "completed_at",
            "certificate",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_certificate(self, enrollment) -> str | None:
        certificate = getattr(enrollment, "certificate", None)  # selected with the row; absent is None
        return certificate.code if certificate else None


NOT_STARTED = "not_started"
LESSON_STATUSES = [(NOT_STARTED, _("Not started")), *LessonProgress.Status.choices]


class SectionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)


class LessonProgressRowSerializer(serializers.Serializer):
    """One live lesson of the course with the student's progress in it (a `views.LessonRow`)."""

    id = serializers.IntegerField(source="lesson.id", read_only=True)
    title = serializers.CharField(source="lesson.title", read_only=True)
    type = serializers.ChoiceField(source="lesson.lesson_type", choices=LessonType.choices, read_only=True)
    section = SectionRefSerializer(read_only=True)
    status = serializers.ChoiceField(choices=LESSON_STATUSES, read_only=True)
    position_seconds = serializers.IntegerField(read_only=True)
    completed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    locked = serializers.BooleanField(
        read_only=True, help_text="Sequential courses: the lesson before it is not complete yet."
    )


class EnrollmentDetailSerializer(EnrollmentSerializer):
    lessons = serializers.SerializerMethodField(help_text="Every live lesson of the course, in order.")

    class Meta(EnrollmentSerializer.Meta):
        fields = [*EnrollmentSerializer.Meta.fields, "lessons"]
        read_only_fields = fields

    @extend_schema_field(LessonProgressRowSerializer(many=True))
    def get_lessons(self, enrollment):
        return LessonProgressRowSerializer(self.context["lesson_rows"], many=True).data


class EnrollmentFilterSerializer(serializers.Serializer):
    course = serializers.IntegerField(
        min_value=1, max_value=MAX_INTEGER, required=False, help_text="A course's page id."
    )
    student = serializers.UUIDField(required=False, help_text="A student's user id (admins).")


# Studying


class ProgressWriteSerializer(serializers.Serializer):
    position_seconds = WholeNumberField(min_value=0, max_value=MAX_INTEGER)


class LessonProgressSerializer(serializers.ModelSerializer):
    lesson = serializers.IntegerField(source="lesson_id", read_only=True)

    class Meta:
        model = LessonProgress
        fields = ["lesson", "status", "position_seconds", "completed_at", "last_accessed_at"]
        read_only_fields = fields


class CompletionSerializer(serializers.ModelSerializer):
    """The enrolment after a lesson is done; the certificate appears at 100%."""

    certificate = serializers.SerializerMethodField()

    class Meta:
        model = Enrollment
        fields = ["progress_percentage", "completed_at", "certificate"]
        read_only_fields = fields

    @extend_schema_field(CertificateLinksSerializer(allow_null=True))
    def get_certificate(self, enrollment):
        certificate = Certificate.objects.filter(enrollment=enrollment).first()
        return CertificateLinksSerializer(certificate).data if certificate else None


@extend_schema_field(
    {
        "type": "object",
        "description": "Question id -> the chosen choice id, or a list of choice ids for multiple-answer "
        "questions. Ids are those of the lesson body at /api/v1/lessons/{id}/.",
        "additionalProperties": {
            "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]
        },
    }
)
class AnswersField(serializers.DictField):
    """The grader checks every id and the shape of each answer."""


class QuizAttemptWriteSerializer(serializers.Serializer):
    answers = AnswersField()


class QuizResultSerializer(serializers.Serializer):
    """Right or wrong per question; the right answers themselves are never sent."""

    score = serializers.DecimalField(max_digits=5, decimal_places=2, read_only=True, help_text="Percent.")
    passed = serializers.BooleanField(read_only=True)
    results = serializers.DictField(
        child=serializers.BooleanField(), read_only=True, help_text="Question id -> answered correctly."
    )
    progress_percentage = serializers.DecimalField(max_digits=5, decimal_places=2, read_only=True)


# Reviews


class ReviewSerializer(serializers.ModelSerializer):
    author = PersonSerializer(source="student", read_only=True)
    course = serializers.IntegerField(source="course_id", read_only=True)
    hidden = serializers.BooleanField(
        source="is_hidden", read_only=True, help_text=_("Hidden by an admin: only its author sees it.")
    )

    class Meta:
        model = Review
        fields = ["id", "course", "author", "rating", "comment", "hidden", "created_at", "updated_at"]
        read_only_fields = fields


class ReviewWriteSerializer(serializers.Serializer):
    rating = WholeNumberField(min_value=1, max_value=5)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")

    def validate(self, attrs):
        if self.partial and not attrs:
            raise serializers.ValidationError({"non_field_errors": [_("Send `rating` or `comment`.")]})
        return attrs
