"""Shapes of the catalog API: read serializers shape pages, write serializers check input for the services."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lms_site.api.serializers import PersonSerializer
from lms_site.converters import MAX_INTEGER
from lms_site.links import absolute_url

from .. import access, selectors
from ..models import Category, ChangeStatus, CoursePage, CourseStatus, LessonType
from .blocks import LessonBodyField, body_data


def _absolute(url: str | None) -> str | None:
    return absolute_url(url) if url else None


# Categories


class CategorySerializer(serializers.ModelSerializer):
    course_count = serializers.IntegerField(read_only=True, help_text="Published courses in this category.")

    class Meta:
        model = Category
        fields = ["name", "slug", "icon", "description", "course_count"]
        extra_kwargs = {"slug": {"required": False, "help_text": "Follows the name when left out."}}


class CategoryRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["name", "slug"]


# Courses


class InstructorSerializer(PersonSerializer):
    """A course's instructor, named as the catalog shows them."""


class InstructorProfileSerializer(InstructorSerializer):
    bio = serializers.CharField(read_only=True)
    avatar = serializers.SerializerMethodField()

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_avatar(self, user) -> str | None:
        return _absolute(user.avatar.url if user.avatar else None)


class CourseCardSerializer(serializers.ModelSerializer):
    """A course as lists show it; everything comes from one query (`with_card_data()`)."""

    category = CategoryRefSerializer(read_only=True, allow_null=True)
    is_free = serializers.BooleanField(read_only=True)
    thumbnail = serializers.SerializerMethodField()
    instructor = InstructorSerializer(source="owner", read_only=True)
    status = serializers.ChoiceField(choices=CourseStatus.choices, source="lifecycle.status", read_only=True)
    average_rating = serializers.DecimalField(
        source="stats.average_rating", max_digits=3, decimal_places=2, read_only=True
    )
    review_count = serializers.IntegerField(source="stats.review_count", read_only=True)
    enrollment_count = serializers.IntegerField(source="stats.enrollment_count", read_only=True)
    published_at = serializers.DateTimeField(source="lifecycle.published_at", read_only=True, allow_null=True)
    url = serializers.SerializerMethodField(help_text="The course's page on the site.")

    class Meta:
        model = CoursePage
        fields = [
            "id",
            "title",
            "slug",
            "subtitle",
            "category",
            "difficulty",
            "language",
            "price",
            "currency",
            "is_free",
            "thumbnail",
            "instructor",
            "status",
            "average_rating",
            "review_count",
            "enrollment_count",
            "published_at",
            "created_at",
            "updated_at",
            "estimated_duration_minutes",
            "url",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_thumbnail(self, course) -> str | None:
        return _absolute(course.thumbnail.file.url if course.thumbnail else None)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, course) -> str | None:
        parts = course.get_url_parts(self.context.get("request"))
        return absolute_url(parts[2]) if parts else None


class OutlineLessonSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    type = serializers.ChoiceField(source="lesson_type", choices=LessonType.choices, read_only=True)
    duration_minutes = serializers.IntegerField(read_only=True)
    is_preview = serializers.BooleanField(read_only=True)


class OutlineSectionSerializer(serializers.Serializer):
    """One `selectors.Section`: a section page and its lessons."""

    id = serializers.IntegerField(source="page.id", read_only=True)
    title = serializers.CharField(source="page.title", read_only=True)
    description = serializers.CharField(source="page.description", read_only=True)
    lessons = OutlineLessonSerializer(many=True, read_only=True)


class CourseDetailSerializer(CourseCardSerializer):
    """A course with its outline, as its page shows it; its review state for its instructor and admins."""

    instructor = InstructorProfileSerializer(source="owner", read_only=True)
    learning_outcomes = serializers.ListField(
        source="outcome_list", child=serializers.CharField(), read_only=True
    )
    requirements = serializers.ListField(
        source="requirement_list", child=serializers.CharField(), read_only=True
    )
    preview_video_url = serializers.SerializerMethodField()
    go_live_at = serializers.DateTimeField(
        source="lifecycle.go_live_at",
        read_only=True,
        allow_null=True,
        help_text="When an approved course is scheduled to go live.",
    )
    rejection_reason = serializers.SerializerMethodField(
        help_text="Why the course was last rejected; only for its instructor and admins."
    )
    change_status = serializers.SerializerMethodField(
        help_text="Where a change to the published course stands (none, pending, rejected); "
        "only for its instructor and admins."
    )
    change_rejection_reason = serializers.SerializerMethodField(
        help_text="Why the last change was rejected; only for its instructor and admins."
    )
    outline = serializers.SerializerMethodField(
        help_text="Sections and lessons in order; only live ones unless you manage the course."
    )
    is_enrolled = serializers.SerializerMethodField()

    class Meta(CourseCardSerializer.Meta):
        fields = [
            *CourseCardSerializer.Meta.fields,
            "description",
            "learning_outcomes",
            "requirements",
            "preview_video_url",
            "enrollment_cap",
            "enrollment_opens_at",
            "enrollment_closes_at",
            "is_sequential",
            "go_live_at",
            "rejection_reason",
            "change_status",
            "change_rejection_reason",
            "outline",
            "is_enrolled",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_preview_video_url(self, course) -> str | None:
        return course.preview_video_url or None

    @property
    def _user(self):
        return self.context["request"].user

    def _to_managers(self, course, value):
        """Review details are for the course's instructor and admins only."""
        return value if selectors.course_is_managed_by(course, self._user) else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_rejection_reason(self, course) -> str | None:
        return self._to_managers(course, course.lifecycle.reason or None)

    @extend_schema_field(serializers.ChoiceField(choices=ChangeStatus.choices, allow_null=True))
    def get_change_status(self, course) -> str | None:
        return self._to_managers(course, course.lifecycle.change_status)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_change_rejection_reason(self, course) -> str | None:
        return self._to_managers(course, course.lifecycle.change_reason or None)

    @extend_schema_field(OutlineSectionSerializer(many=True))
    def get_outline(self, course):
        return OutlineSectionSerializer(selectors.course_outline(course, user=self._user), many=True).data

    def get_is_enrolled(self, course) -> bool:
        return access.is_enrolled(self._user, course)


class LinesField(serializers.ListField):
    """A list of short texts, stored one per line."""

    child = serializers.CharField(max_length=500)

    def to_internal_value(self, data):
        return "\n".join(line.strip() for line in super().to_internal_value(data))


class CourseWriteSerializer(serializers.ModelSerializer):
    """What an instructor sets on a course. Status, owner and counters are not theirs: they are ignored."""

    category = serializers.SlugRelatedField(
        slug_field="slug", queryset=Category.objects.all(), required=False, allow_null=True
    )
    learning_outcomes = LinesField(required=False)
    requirements = LinesField(required=False)

    class Meta:
        model = CoursePage
        fields = [
            "title",
            "slug",
            "subtitle",
            "description",
            "category",
            "difficulty",
            "language",
            "price",
            "currency",
            "thumbnail",
            "preview_video_url",
            "learning_outcomes",
            "requirements",
            "estimated_duration_minutes",
            "enrollment_cap",
            "enrollment_opens_at",
            "enrollment_closes_at",
            "is_sequential",
        ]
        extra_kwargs = {
            "slug": {"required": False, "help_text": "Follows the title when left out."},
            "thumbnail": {"help_text": "Id of an image in the CMS library."},
        }


class CourseApprovalSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class CoursePublishSerializer(serializers.Serializer):
    go_live_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Schedule the course to go live then; empty or past means now.",
    )


# Sections and lessons


class PositionMixin(serializers.Serializer):
    order = serializers.SerializerMethodField(help_text="1-based position in the outline.")

    def get_order(self, page_or_section) -> int:
        page = getattr(page_or_section, "page", page_or_section)
        return self.context["positions"][page.pk]


class SectionSerializer(PositionMixin, OutlineSectionSerializer):
    slug = serializers.CharField(source="page.slug", read_only=True)


class LessonSerializer(PositionMixin, OutlineLessonSerializer):
    """A lesson as its authors handle it; the stored body only for the instructor and admins."""

    slug = serializers.CharField(read_only=True)
    body = serializers.SerializerMethodField(
        help_text="The body as its authors write it, answers included: only for the course's instructor "
        "and admins (null for anyone else). Learners read lessons at /api/v1/lessons/{id}/."
    )

    @extend_schema_field(LessonBodyField(allow_null=True))
    def get_body(self, lesson):
        return body_data(lesson.body, answers=True, as_stored=True) if self.context["can_manage"] else None


def _position_field():
    """`order` in, the services' `position` out."""
    return serializers.IntegerField(
        min_value=1,
        max_value=MAX_INTEGER,
        required=False,
        source="position",
        help_text="1-based position among its siblings.",
    )


class SectionWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=255)
    slug = serializers.SlugField(max_length=255, allow_unicode=True, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    order = _position_field()


class LessonWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=255)
    slug = serializers.SlugField(max_length=255, allow_unicode=True, required=False)
    type = serializers.ChoiceField(source="lesson_type", choices=LessonType.choices)
    duration_minutes = serializers.IntegerField(min_value=0, max_value=MAX_INTEGER, required=False)
    is_preview = serializers.BooleanField(required=False)
    body = LessonBodyField(required=False)
    order = _position_field()


# The lesson player


class PageRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)


class LessonContentSerializer(OutlineLessonSerializer):
    """A lesson to study. Quiz answers and explanations only for those who may see them."""

    course = PageRefSerializer(read_only=True)
    section = PageRefSerializer(source="get_parent", read_only=True)
    body = serializers.SerializerMethodField()

    @extend_schema_field(LessonBodyField(answers=False))
    def get_body(self, lesson):
        return body_data(lesson.body, answers=self.context["can_see_answers"], as_stored=False)
