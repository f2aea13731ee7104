"""Learning endpoints. Reads go through learners.selectors, writes through learners.services.

An enrolment belongs to its student (admins see them all); anyone else gets 404 for it, so its
existence does not leak. Reviews are public; only their author or an admin changes one, anyone
else signed in gets 403. The domain errors of the services carry their own status and code.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, mixins, status, viewsets
from rest_framework.parsers import JSONParser
from rest_framework.permissions import SAFE_METHODS, AllowAny, IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from catalog.models import CoursePage, LessonPage, SectionPage
from lms_site.api.responses import respond, validated

from .. import selectors, services
from ..models import Certificate, Enrollment, LessonProgress, Review
from .serializers import (
    NOT_STARTED,
    CertificateSerializer,
    CertificateVerificationSerializer,
    CompletionSerializer,
    EnrollmentDetailSerializer,
    EnrollmentFilterSerializer,
    EnrollmentSerializer,
    LessonProgressSerializer,
    ProgressWriteSerializer,
    QuizAttemptWriteSerializer,
    QuizResultSerializer,
    ReviewSerializer,
    ReviewWriteSerializer,
)

TAGS = ["learning"]


def _refusal(code: str, when: str) -> OpenApiResponse:
    return OpenApiResponse(description=f"`{code}`: {when}")


NOT_ENROLLED = _refusal("permission_denied", "you are not enrolled in the lesson's course.")
NO_LESSON = _refusal("not_found", "no such lesson, or it is not published.")
BAD_INPUT = _refusal("validation_error", "`error.details` names each field and what is wrong.")
LOCKED = _refusal(
    "lesson_locked", "the lesson is locked until the one before it is complete (sequential courses)."
)


class JSONView(generics.GenericAPIView):
    """Typed JSON in (a rating of "5" is not a number); no list filters unless a view declares its own."""

    parser_classes = [JSONParser]
    filter_backends = []


# Enrolments


@dataclass(frozen=True)
class LessonRow:
    lesson: LessonPage
    section: SectionPage | None
    status: str
    position_seconds: int
    completed_at: datetime | None
    locked: bool


def _lesson_rows(enrollment: Enrollment) -> list[LessonRow]:
    """Every live lesson with the student's progress: two queries, whatever the course's size."""
    course = enrollment.course
    lessons = list(selectors.live_lessons(course))
    sections = {section.path: section for section in SectionPage.objects.child_of(course)}
    progress = {row.lesson_id: row for row in enrollment.lesson_progress.all()}  # prefetched
    completed = {pk for pk, row in progress.items() if row.status == LessonProgress.Status.COMPLETED}
    locked = selectors.locked_lesson_ids(course, lessons, completed)
    rows = []
    for lesson in lessons:
        row = progress.get(lesson.pk)
        rows.append(
            LessonRow(
                lesson=lesson,
                section=sections.get(lesson.path[: -lesson.steplen]),
                status=row.status if row else NOT_STARTED,
                position_seconds=row.position_seconds if row else 0,
                completed_at=row.completed_at if row else None,
                locked=lesson.pk in locked,
            )
        )
    return rows


@extend_schema(tags=TAGS)
class CourseEnrollView(JSONView):
    """Enrol the signed-in user in a published course."""

    serializer_class = EnrollmentSerializer

    @extend_schema(
        request=None,
        responses={
            201: EnrollmentSerializer,
            402: _refusal("payment_required", "the course is paid; an admin can grant the enrolment."),
            403: _refusal("permission_denied", "the account is inactive."),
            404: _refusal("not_found", "no such course, or it is not published."),
            409: _refusal(
                "already_enrolled",
                "you are enrolled already. `conflict`: the course is full, its enrolment window is "
                "closed or not open yet (the message says which), or you teach it.",
            ),
        },
    )
    def post(self, request, course_id):
        course = get_object_or_404(CoursePage, pk=course_id)
        enrollment = services.enrollment_create(student=request.user, course=course)
        return respond(
            self.get_serializer(selectors.enrollments_for(request.user).get(pk=enrollment.pk)).data,
            message=_("You are enrolled."),
            status_code=status.HTTP_201_CREATED,
        )


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(
        parameters=[EnrollmentFilterSerializer],
        responses={200: EnrollmentSerializer(many=True), 400: BAD_INPUT},
        description="Your enrolments, most recent first; admins see everyone's. Filter by `course`, "
        "and (admins) by `student`.",
    ),
    retrieve=extend_schema(
        responses={200: EnrollmentDetailSerializer, 404: _refusal("not_found", "not your enrolment.")}
    ),
    destroy=extend_schema(
        responses={
            204: None,
            404: _refusal("not_found", "not your enrolment."),
            409: _refusal("conflict", "the enrolment earned a certificate and is kept."),
        }
    ),
)
class EnrollmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """Enrolments with progress; DELETE unenrols."""

    lookup_value_converter = "uuid"
    filter_backends = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Enrollment.objects.none()
        if self.action == "list":
            filters = validated(EnrollmentFilterSerializer, self.request.query_params)
            return selectors.enrollments_for(
                self.request.user, course_id=filters.get("course"), student_id=filters.get("student")
            )
        enrollments = selectors.enrollments_for(self.request.user)
        return selectors.enrollment_with_progress(enrollments) if self.action == "retrieve" else enrollments

    def get_serializer_class(self):
        return EnrollmentDetailSerializer if self.action == "retrieve" else EnrollmentSerializer

    def retrieve(self, request, *args, **kwargs):
        enrollment = self.get_object()
        context = {**self.get_serializer_context(), "lesson_rows": _lesson_rows(enrollment)}
        return Response(EnrollmentDetailSerializer(enrollment, context=context).data)

    def perform_destroy(self, instance):
        services.enrollment_delete(enrollment=instance, user=self.request.user)


# Studying


class LessonActionView(JSONView):
    """Something an enrolled student does in a lesson; the service checks enrolment and locks."""

    @cached_property
    def lesson(self) -> LessonPage:
        return get_object_or_404(LessonPage, pk=self.kwargs["lesson_id"])


@extend_schema(tags=TAGS)
class LessonProgressView(LessonActionView):
    """Remember the position in a lesson (a video's second) and when the student was last there."""

    serializer_class = LessonProgressSerializer

    @extend_schema(
        request=ProgressWriteSerializer,
        responses={
            200: LessonProgressSerializer,
            400: BAD_INPUT,
            403: NOT_ENROLLED,
            404: NO_LESSON,
            409: LOCKED,
        },
    )
    def post(self, request, lesson_id):
        position = validated(ProgressWriteSerializer, request.data)["position_seconds"]
        progress = services.progress_record(
            student=request.user, lesson=self.lesson, position_seconds=position
        )
        return respond(self.get_serializer(progress).data, message=_("Progress saved."))


@extend_schema(tags=TAGS)
class LessonCompleteView(LessonActionView):
    """Mark a lesson complete. At 100% the course is complete and the certificate is in the answer."""

    serializer_class = CompletionSerializer

    @extend_schema(
        request=None,
        responses={
            200: CompletionSerializer,
            403: NOT_ENROLLED,
            404: NO_LESSON,
            409: _refusal(
                "lesson_locked",
                "the lesson is locked until the one before it is complete (sequential courses). "
                "`conflict`: it is a quiz not yet passed.",
            ),
        },
    )
    def post(self, request, lesson_id):
        enrollment = services.lesson_complete(student=request.user, lesson=self.lesson)
        message = _("Course complete.") if enrollment.is_complete else _("Lesson complete.")
        return respond(self.get_serializer(enrollment).data, message=message)


@extend_schema(tags=TAGS)
class QuizAttemptView(LessonActionView):
    """Submit answers to a quiz lesson. Graded on the server; a pass completes the lesson."""

    serializer_class = QuizResultSerializer

    @extend_schema(
        request=QuizAttemptWriteSerializer,
        responses={
            201: QuizResultSerializer,
            400: _refusal("validation_error", "an answer names a question or choice the quiz does not have."),
            403: NOT_ENROLLED,
            404: _refusal("not_found", "no such lesson, it is not published, or it holds no quiz."),
            409: LOCKED,
        },
    )
    def post(self, request, lesson_id):
        answers = validated(QuizAttemptWriteSerializer, request.data)["answers"]
        attempt, results = services.quiz_attempt_submit(
            student=request.user, lesson=self.lesson, answers=answers
        )
        result = {
            "score": attempt.score,
            "passed": attempt.passed,
            "results": results,
            "progress_percentage": attempt.enrollment.progress_percentage,
        }
        message = _("Quiz passed.") if attempt.passed else _("Quiz not passed; try again.")
        return respond(self.get_serializer(result).data, message=message, status_code=status.HTTP_201_CREATED)


# Reviews


@extend_schema(tags=TAGS)
class CourseReviewsView(JSONView):
    """A course's reviews, newest first; enrolled students write one each."""

    serializer_class = ReviewSerializer
    permission_classes = [IsAuthenticatedOrReadOnly]

    @cached_property
    def course(self) -> CoursePage:
        """404 for a course the caller cannot see, as everywhere in the catalog."""
        return get_object_or_404(
            CoursePage.objects.visible_to(self.request.user), pk=self.kwargs["course_id"]
        )

    def get_queryset(self):
        return (
            Review.objects.visible()
            .filter(course=self.course)
            .select_related("student")
            .order_by("-created_at", "-pk")
        )

    @extend_schema(
        responses={200: ReviewSerializer(many=True), 404: _refusal("not_found", "no such course.")}
    )
    def get(self, request, course_id):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        request=ReviewWriteSerializer,
        responses={
            201: ReviewSerializer,
            400: _refusal("validation_error", "`rating` is not a whole number from 1 to 5."),
            403: _refusal("permission_denied", "only students enrolled in the course review it."),
            404: _refusal("not_found", "no such course."),
            409: _refusal(
                "already_reviewed",
                "you reviewed this course already; edit that review. `review_needs_progress`: complete "
                "at least one lesson of the course first.",
            ),
        },
    )
    def post(self, request, course_id):
        data = validated(ReviewWriteSerializer, request.data)
        review = services.review_create(student=request.user, course=self.course, **data)
        return respond(
            self.get_serializer(review).data, message=_("Thank you for your review."), status_code=201
        )


@extend_schema(tags=TAGS)
class ReviewView(JSONView):
    """One review, public like its course's; its author or an admin edits or deletes it, and the course's
    rating follows."""

    serializer_class = ReviewSerializer
    permission_classes = [IsAuthenticatedOrReadOnly]
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_queryset(self):
        """Read: reviews of the courses the caller can see, as the course's list shows them (a hidden one to
        its author only). Their author and admins still change one whose course has left the catalog (the
        service checks who)."""
        reviews = Review.objects.select_related("student")
        if self.request.method in SAFE_METHODS:
            readable = Q(hidden_at__isnull=True)
            if self.request.user.is_authenticated:
                readable |= Q(student=self.request.user)
            return reviews.filter(readable, course__in=CoursePage.objects.visible_to(self.request.user))
        return reviews

    @extend_schema(responses={200: ReviewSerializer, 404: _refusal("not_found", "no such review.")})
    def get(self, request, pk):
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(
        request=ReviewWriteSerializer,
        responses={
            200: ReviewSerializer,
            400: BAD_INPUT,
            403: _refusal("permission_denied", "not your review."),
            404: _refusal("not_found", "no such review."),
        },
    )
    def patch(self, request, pk):
        changes = validated(ReviewWriteSerializer, request.data, partial=True)
        review = services.review_update(review=self.get_object(), user=request.user, **changes)
        return respond(self.get_serializer(review).data, message=_("Review saved."))

    @extend_schema(
        responses={
            204: None,
            403: _refusal("permission_denied", "not your review."),
            404: _refusal("not_found", "no such review."),
        }
    )
    def delete(self, request, pk):
        services.review_delete(review=self.get_object(), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# Certificates


@extend_schema(tags=TAGS)
@extend_schema_view(
    list=extend_schema(description="Your certificates, newest first."),
    retrieve=extend_schema(
        description="Public verification by the code printed on the certificate; no sign-in needed.",
        responses={
            200: CertificateVerificationSerializer,
            404: _refusal("not_found", "no such certificate."),
        },
    ),
)
class CertificateViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """One's own certificates; anyone may check one by its code."""

    lookup_field = "code"
    lookup_value_converter = "str"
    filter_backends = []

    def get_permissions(self):
        return [AllowAny()] if self.action == "retrieve" else [IsAuthenticated()]

    def get_queryset(self):
        if self.action == "retrieve":
            return Certificate.objects.select_related("enrollment__course__owner")
        if getattr(self, "swagger_fake_view", False):
            return Certificate.objects.none()
        return Certificate.objects.filter(enrollment__student=self.request.user).select_related(
            "enrollment__course"
        )

    def get_serializer_class(self):
        return CertificateVerificationSerializer if self.action == "retrieve" else CertificateSerializer

    def get_object(self):
        return get_object_or_404(self.get_queryset(), code=self.kwargs["code"].upper())
