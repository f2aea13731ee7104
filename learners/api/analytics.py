"""Analytics endpoints: an instructor's courses, and the whole platform for admins (learners.analytics).

Rates are fractions from 0 to 1 and averages ratings from 1 to 5, null where there is nothing to
divide by; durations are in seconds; series hold one point per day, oldest first.
"""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAuthenticated

from catalog.models import CourseStatus
from lms_site.api.permissions import IsAdminRole
from lms_site.api.responses import respond, validated
from lms_site.errors import NotAllowed, NotFound
from lms_site.models import Role, User

from .. import analytics

TAGS = ["analytics"]
MAX_DAYS = 366


class PeriodSerializer(serializers.Serializer):
    days = serializers.IntegerField(
        min_value=1,
        max_value=MAX_DAYS,
        default=30,
        help_text="How many days the series cover, today included.",
    )


class InstructorQuerySerializer(PeriodSerializer):
    instructor = serializers.UUIDField(
        required=False, help_text="Admins: one instructor's user id (default: every course)."
    )


@extend_schema_field(OpenApiTypes.NUMBER)
class SecondsField(serializers.Field):
    def to_representation(self, value):
        return value.total_seconds()


class DayCountSerializer(serializers.Serializer):
    """A (day, count) pair of learners.analytics."""

    date = serializers.DateField()
    count = serializers.IntegerField()

    def to_representation(self, instance):
        day, count = instance
        return super().to_representation({"date": day, "count": count})


def _series():
    return DayCountSerializer(many=True, read_only=True)


class StatusCountsSerializer(serializers.Serializer):
    draft = serializers.IntegerField()
    pending = serializers.IntegerField()
    approved = serializers.IntegerField()
    rejected = serializers.IntegerField()
    published = serializers.IntegerField()


class LearningTotalsSerializer(serializers.Serializer):
    enrollments = serializers.IntegerField()
    completions = serializers.IntegerField()
    completion_rate = serializers.FloatField(allow_null=True)
    reviews = serializers.IntegerField()
    average_rating = serializers.FloatField(allow_null=True)
    enrollments_per_day = _series()
    completions_per_day = _series()


class CourseFiguresSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=CourseStatus.choices)
    enrollments = serializers.IntegerField()
    completions = serializers.IntegerField()
    completion_rate = serializers.FloatField(allow_null=True)
    reviews = serializers.IntegerField()
    average_rating = serializers.FloatField(allow_null=True)


class GradingSerializer(serializers.Serializer):
    awaiting_grading = serializers.IntegerField(help_text="Attempts handed in and not graded yet.")
    graded = serializers.IntegerField()
    median_time_to_grade = SecondsField(allow_null=True, help_text="Seconds from handing in to the grade.")


class InstructorAnalyticsSerializer(LearningTotalsSerializer):
    grading = GradingSerializer()
    courses_by_status = StatusCountsSerializer()
    courses = CourseFiguresSerializer(many=True)


class DecisionsSerializer(serializers.Serializer):
    approved = serializers.IntegerField()
    rejected = serializers.IntegerField()
    approval_rate = serializers.FloatField(allow_null=True)
    median_time_to_decision = SecondsField(allow_null=True, help_text="Seconds.")


class RequestDecisionsSerializer(DecisionsSerializer):
    pending = serializers.IntegerField()


class UsersByRoleSerializer(serializers.Serializer):
    student = serializers.IntegerField()
    instructor = serializers.IntegerField()
    admin = serializers.IntegerField()
    total = serializers.IntegerField()
    inactive = serializers.IntegerField()


class PendingApprovalsSerializer(serializers.Serializer):
    courses = serializers.IntegerField()
    instructor_requests = serializers.IntegerField()


class AdminAnalyticsSerializer(LearningTotalsSerializer):
    grading = GradingSerializer()
    users_by_role = UsersByRoleSerializer()
    signups_per_day = _series()
    courses_by_status = StatusCountsSerializer()
    pending_approvals = PendingApprovalsSerializer()
    course_decisions = DecisionsSerializer()
    instructor_request_decisions = RequestDecisionsSerializer()
    top_courses_by_enrollment = CourseFiguresSerializer(many=True)
    top_courses_by_rating = CourseFiguresSerializer(many=True)


@extend_schema(
    tags=TAGS,
    parameters=[InstructorQuerySerializer],
    responses={
        200: InstructorAnalyticsSerializer,
        403: OpenApiResponse(
            description="`permission_denied`: students, or an instructor asking about another."
        ),
        404: OpenApiResponse(description="`not_found`: no user has the `instructor` id."),
    },
)
class InstructorAnalyticsView(GenericAPIView):
    """An instructor's own courses; admins read any instructor's (`?instructor=`) or every course."""

    permission_classes = [IsAuthenticated]
    serializer_class = InstructorAnalyticsSerializer
    filter_backends = []

    def get(self, request):
        query = validated(InstructorQuerySerializer, request.query_params)
        figures = analytics.instructor_analytics(instructor=self._instructor(query), days=query["days"])
        return respond(InstructorAnalyticsSerializer(figures).data)

    def _instructor(self, query) -> User | None:
        user, asked = self.request.user, query.get("instructor")
        if user.role == Role.ADMIN:
            if asked is None:
                return None
            instructor = User.objects.filter(pk=asked).first()
            if instructor is None:
                raise NotFound(_("There is no such user."))
            return instructor
        if user.role != Role.INSTRUCTOR:
            raise NotAllowed(_("Only instructors and admins read course analytics."))
        if asked is not None and asked != user.pk:
            raise NotAllowed(_("You can only read the analytics of your own courses."))
        return user


@extend_schema(tags=TAGS, parameters=[PeriodSerializer], responses=AdminAnalyticsSerializer)
class AdminAnalyticsView(GenericAPIView):
    """The whole platform, for admins."""

    permission_classes = [IsAdminRole]
    serializer_class = AdminAnalyticsSerializer
    filter_backends = []

    def get(self, request):
        days = validated(PeriodSerializer, request.query_params)["days"]
        return respond(AdminAnalyticsSerializer(analytics.admin_analytics(days=days)).data)
