"""Catalog endpoints. Reads go through catalog.selectors, writes through catalog.services.

Whoever cannot see a course (an unpublished one that is not theirs) gets 404 for it and everything
in it, so its existence does not leak; whoever can see it but may not change it gets 403.
"""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import SAFE_METHODS, AllowAny, IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from lms_site.api.permissions import IsAdminRole
from lms_site.api.responses import respond, validated
from lms_site.api.serializers import RejectionSerializer
from lms_site.errors import ErrorCode, LessonLocked
from lms_site.ordering import ordering_description, ordering_parameter_schema

from .. import page_cache, selectors, services, services_categories
from ..models import CoursePage, CourseStatus, Difficulty, LessonPage
from .serializers import (
    CategorySerializer,
    CourseApprovalSerializer,
    CourseCardSerializer,
    CourseDetailSerializer,
    CoursePublishSerializer,
    CourseWriteSerializer,
    LessonContentSerializer,
    LessonSerializer,
    LessonWriteSerializer,
    SectionSerializer,
    SectionWriteSerializer,
)

WRITE_METHODS = ["get", "post", "patch", "delete", "head", "options"]


# Categories


@extend_schema(tags=["catalog"])
class CategoryViewSet(viewsets.ModelViewSet):
    """Subjects courses are filed under, with how many published courses each holds. Admins edit them."""

    serializer_class = CategorySerializer
    lookup_field = "slug"
    lookup_value_converter = "slug"
    filter_backends = []
    http_method_names = WRITE_METHODS

    def get_queryset(self):
        return selectors.categories_with_counts().order_by("name")  # Meta.ordering is dropped with GROUP BY

    def get_permissions(self):
        return [AllowAny()] if self.request.method in SAFE_METHODS else [IsAdminRole()]

    def _counted(self, category):
        return self.get_queryset().get(pk=category.pk)

    def perform_create(self, serializer):
        category = services_categories.category_create(user=self.request.user, **serializer.validated_data)
        serializer.instance = self._counted(category)

    def perform_update(self, serializer):
        category = services_categories.category_update(
            category=serializer.instance, user=self.request.user, **serializer.validated_data
        )
        serializer.instance = self._counted(category)

    @extend_schema(responses={204: None, 409: None})
    def destroy(self, request, *args, **kwargs):
        """A category still holding courses cannot go: 409 `conflict`."""
        return super().destroy(request, *args, **kwargs)

    def perform_destroy(self, instance):
        services_categories.category_delete(category=instance, user=self.request.user)


# Courses


class CourseScopeSerializer(serializers.Serializer):
    """Which courses a list starts from, before the catalog's filters."""

    mine = serializers.BooleanField(required=False, help_text="Only the courses you own (instructors).")
    status = serializers.ChoiceField(
        choices=CourseStatus.choices,
        required=False,
        help_text="Admins: courses in this state. Instructors: with `mine=true`.",
    )


COURSE_FILTERS = [
    CourseScopeSerializer,
    OpenApiParameter("category", str, description="Category slug."),
    OpenApiParameter("difficulty", str, enum=Difficulty.values),
    OpenApiParameter("is_free", bool),
    OpenApiParameter("price_min", OpenApiTypes.DECIMAL),
    OpenApiParameter("price_max", OpenApiTypes.DECIMAL),
    OpenApiParameter("instructor", OpenApiTypes.UUID, description="The instructor's user id."),
    OpenApiParameter("search", str, description="Words in the title, subtitle or description."),
    OpenApiParameter(
        "ordering",
        ordering_parameter_schema(selectors.ORDERINGS),
        description=ordering_description(selectors.ORDERINGS),
    ),
]


FROZEN = OpenApiResponse(
    description=f"`{ErrorCode.INVALID_TRANSITION}`: the course cannot be changed in its state (its "
    "instructor edits it while a draft or rejected; a published course's change waits out its review). "
    f"`{ErrorCode.CONFLICT}`: it conflicts with existing data."
)
WRONG_STATE = OpenApiResponse(
    description=f"`{ErrorCode.INVALID_TRANSITION}`: not possible from the course's (or its change's) state."
)


def _transition(request=None, summary=""):
    return extend_schema(
        request=request, responses={200: CourseDetailSerializer, 409: WRONG_STATE}, summary=summary
    )


@extend_schema(tags=["catalog"])
@extend_schema_view(
    list=extend_schema(parameters=COURSE_FILTERS, responses=CourseCardSerializer(many=True)),
    create=extend_schema(request=CourseWriteSerializer, responses={201: CourseDetailSerializer}),
    partial_update=extend_schema(
        request=CourseWriteSerializer,
        responses={200: CourseDetailSerializer, 409: FROZEN},
        description="Owner while draft or rejected; admins. Status, owner and counters are read-only "
        "and ignored here: they change through the lifecycle actions.",
    ),
    destroy=extend_schema(responses={204: None, 409: FROZEN}),
)
class CourseViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """Published courses for everyone; instructors also see their own, admins everything."""

    serializer_class = CourseDetailSerializer
    permission_classes = [IsAuthenticatedOrReadOnly]
    lookup_value_converter = "id"
    filter_backends = []
    http_method_names = WRITE_METHODS

    def get_queryset(self):
        """What the caller may see; anything else is a 404."""
        return selectors.courses_for(self.request.user)

    def get_serializer_class(self):
        return CourseCardSerializer if self.action == "list" else CourseDetailSerializer

    def list(self, request, *args, **kwargs):
        scope = validated(CourseScopeSerializer, request.query_params)
        return Response(page_cache.cached_data(request, page_cache.CATALOG, lambda: self._page_of(scope)))

    def retrieve(self, request, *args, **kwargs):
        scope = page_cache.course_scope(kwargs["pk"])
        return Response(
            page_cache.cached_data(request, scope, lambda: self.get_serializer(self.get_object()).data)
        )

    def _page_of(self, scope) -> dict:
        courses = selectors.filter_courses(
            selectors.courses_for(
                self.request.user, mine=scope.get("mine", False), status=scope.get("status")
            ),
            params=self.request.query_params,
        )
        page = self.paginate_queryset(courses)
        return self.get_paginated_response(self.get_serializer(page, many=True).data).data

    def _detail(self, course, *, message: str = "", status_code: int = status.HTTP_200_OK) -> Response:
        """The course as it is now, read afresh: a service may have published or moved it."""
        fresh = CoursePage.objects.with_card_data().get(pk=course.pk)
        return respond(self.get_serializer(fresh).data, message=message, status_code=status_code)

    def create(self, request, *args, **kwargs):
        course = services.course_create(user=request.user, **validated(CourseWriteSerializer, request.data))
        return self._detail(course, message=_("Draft course created."), status_code=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        course = self.get_object()
        changes = validated(CourseWriteSerializer, request.data, partial=True)
        services.course_update(course=course, user=request.user, **changes)
        return self._detail(course, message=_("Course saved."))

    def perform_destroy(self, instance):
        services.page_delete(page=instance, course=instance, user=self.request.user)

    def _reviewed(self, course, *, message: str, change_message: str) -> Response:
        """The course after a review step, told as a step of the course or of a change to it."""
        return self._detail(course, message=change_message if course.lifecycle.is_published() else message)

    @_transition(
        summary="Submit a draft or rejected course, or a published course's change, for review (owner)"
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        course = services.course_submit(course=self.get_object(), user=request.user)
        return self._reviewed(
            course,
            message=_("Course submitted for review."),
            change_message=_("Change submitted for review."),
        )

    @_transition(
        summary="Take a pending course back to draft, or a pending change back to a draft (its instructor)"
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        course = services.course_withdraw(course=self.get_object(), user=request.user)
        return self._reviewed(
            course,
            message=_("Course withdrawn from review."),
            change_message=_("Change withdrawn from review."),
        )

    @_transition(
        CourseApprovalSerializer,
        "Approve a pending course, or put a published course's pending change live "
        "(an admin other than its instructor)",
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        comment = validated(CourseApprovalSerializer, request.data)["comment"]
        course = services.course_approve(course=self.get_object(), user=request.user, comment=comment)
        return self._reviewed(
            course,
            message=_("Course approved; it can now be published."),
            change_message=_("Change approved; it is live."),
        )

    @_transition(RejectionSerializer, "Reject a pending course or change with a reason (admins)")
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        reason = validated(RejectionSerializer, request.data)["reason"]
        course = services.course_reject(course=self.get_object(), user=request.user, reason=reason)
        return self._reviewed(
            course,
            message=_("Course rejected; the instructor has been told why."),
            change_message=_(
                "Change rejected; the live course is unchanged and the instructor has been told why."
            ),
        )

    @_transition(CoursePublishSerializer, "Publish an approved course now or at `go_live_at` (admins)")
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        go_live_at = validated(CoursePublishSerializer, request.data)["go_live_at"]
        course = services.course_publish(course=self.get_object(), user=request.user, go_live_at=go_live_at)
        scheduled = go_live_at is not None and go_live_at > timezone.now()
        message = _("Course scheduled to go live.") if scheduled else _("Course published.")
        return self._detail(course, message=message)

    @_transition(summary="Take a published course out of the catalog, back to draft (admins)")
    @action(detail=True, methods=["post"])
    def unpublish(self, request, pk=None):
        course = services.course_unpublish(course=self.get_object(), user=request.user)
        return self._detail(course, message=_("Course unpublished; it is back to draft."))


# Sections and lessons


def _find(items, matches):
    found = next((item for item in items if matches(item)), None)
    if found is None:
        raise NotFound()
    return found


class CourseContentViewSet(mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet):
    """Pages inside a course the caller can see, found through its outline, which hides what is not live.

    Subclasses say which outline items they hold (`items`), the page of an item, and how pages are written.
    """

    permission_classes = [IsAuthenticatedOrReadOnly]
    lookup_value_converter = "id"
    filter_backends = []
    http_method_names = WRITE_METHODS
    write_serializer_class: type[serializers.Serializer]
    done_messages: dict[str, str]

    @cached_property
    def course(self) -> CoursePage:
        return get_object_or_404(selectors.courses_for(self.request.user), pk=self.kwargs["course_pk"])

    @cached_property
    def outline(self) -> list[selectors.Section]:
        return selectors.course_outline(self.course, user=self.request.user)

    def items(self) -> list:
        raise NotImplementedError

    def page_of(self, item):
        raise NotImplementedError

    def create_page(self, **data):
        raise NotImplementedError

    def update_page(self, item, **data):
        raise NotImplementedError

    def get_object(self):
        return _find(self.items(), lambda item: self.page_of(item).pk == self.kwargs["pk"])

    def get_serializer_context(self):
        positions = {}
        for number, section in enumerate(self.outline, 1):
            positions[section.page.pk] = number
            positions.update({lesson.pk: place for place, lesson in enumerate(section.lessons, 1)})
        return {
            **super().get_serializer_context(),
            "positions": positions,
            "can_manage": selectors.course_is_managed_by(self.course, self.request.user),
        }

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.items())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def _written(self, page, *, message: str, status_code: int) -> Response:
        """The page as the outline now shows it: the write may have moved it."""
        self.__dict__.pop("outline", None)  # read it again
        self.kwargs["pk"] = page.pk
        return respond(self.get_serializer(self.get_object()).data, message=message, status_code=status_code)

    def create(self, request, *args, **kwargs):
        page = self.create_page(**validated(self.write_serializer_class, request.data))
        return self._written(page, message=self.done_messages["created"], status_code=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        item = self.get_object()
        page = self.update_page(item, **validated(self.write_serializer_class, request.data, partial=True))
        return self._written(page, message=self.done_messages["saved"], status_code=status.HTTP_200_OK)

    def perform_destroy(self, instance):
        services.page_delete(page=self.page_of(instance), course=self.course, user=self.request.user)


@extend_schema(tags=["catalog"])
@extend_schema_view(
    create=extend_schema(request=SectionWriteSerializer, responses={201: SectionSerializer, 409: FROZEN}),
    partial_update=extend_schema(
        request=SectionWriteSerializer, responses={200: SectionSerializer, 409: FROZEN}
    ),
    destroy=extend_schema(responses={204: None, 409: FROZEN}),
)
class SectionViewSet(CourseContentViewSet):
    """A course's sections. Read like the course; written by its instructor (draft or rejected) or admins."""

    serializer_class = SectionSerializer
    write_serializer_class = SectionWriteSerializer
    done_messages = {"created": gettext_lazy("Section added."), "saved": gettext_lazy("Section saved.")}

    def items(self):
        return self.outline

    def page_of(self, item):
        return item.page

    def create_page(self, **data):
        return services.section_create(course=self.course, user=self.request.user, **data)

    def update_page(self, item, **data):
        return services.section_update(section=item.page, course=self.course, user=self.request.user, **data)


@extend_schema(tags=["catalog"])
@extend_schema_view(
    create=extend_schema(request=LessonWriteSerializer, responses={201: LessonSerializer, 409: FROZEN}),
    partial_update=extend_schema(
        request=LessonWriteSerializer, responses={200: LessonSerializer, 409: FROZEN}
    ),
    destroy=extend_schema(responses={204: None, 409: FROZEN}),
)
class SectionLessonViewSet(CourseContentViewSet):
    """A section's lessons, for authoring. Learners open lesson bodies at /api/v1/lessons/{id}/."""

    serializer_class = LessonSerializer
    write_serializer_class = LessonWriteSerializer
    done_messages = {"created": gettext_lazy("Lesson added."), "saved": gettext_lazy("Lesson saved.")}

    def section(self) -> selectors.Section:
        return _find(self.outline, lambda section: section.page.pk == self.kwargs["section_pk"])

    def items(self):
        return self.section().lessons

    def page_of(self, item):
        return item

    def create_page(self, **data):
        return services.lesson_create(
            section=self.section().page, course=self.course, user=self.request.user, **data
        )

    def update_page(self, item, **data):
        return services.lesson_update(lesson=item, course=self.course, user=self.request.user, **data)


@extend_schema(tags=["catalog"])
class LessonViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A lesson to study: for enrolled students, the course's instructor and admins; anyone for previews."""

    serializer_class = LessonContentSerializer
    permission_classes = [AllowAny]
    lookup_value_converter = "id"
    filter_backends = []

    def get_queryset(self):
        return LessonPage.objects.all()

    @extend_schema(
        responses={
            200: LessonContentSerializer,
            401: None,
            403: None,
            404: None,
            409: OpenApiResponse(
                description="`lesson_locked`: a sequential course opens its lessons one after another; the "
                "message names the lesson to complete first. The site withholds the same lesson's body. "
                "Its instructor, admins and preview lessons are never locked."
            ),
        }
    )
    def retrieve(self, request, *args, **kwargs):
        """404 if you cannot see the course's outline; 403 (401 signed out) if the lesson is closed to you;
        409 `lesson_locked` while the lesson before it is not complete (sequential courses), refused as
        the learning endpoints refuse progress, completion and quizzes there."""
        lesson = self.get_object()
        access = selectors.lesson_access(lesson, request.user)
        if not access.can_view_outline:
            raise NotFound()
        if not access.can_view_body:
            self.permission_denied(request, message=_("Enrol in the course to open this lesson."))
        if (complete_first := selectors.lesson_locked_by(lesson, request.user)) is not None:
            raise LessonLocked(complete_first=complete_first)
        context = {**self.get_serializer_context(), "can_see_answers": access.can_see_answers}
        return Response(LessonContentSerializer(lesson, context=context).data)
