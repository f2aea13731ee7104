from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, mixins, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from lms_site import selectors, services
from lms_site.errors import ErrorCode

from .permissions import IsAdminRole
from .responses import respond, validated
from .serializers import (
    AvatarSerializer,
    DecisionSerializer,
    InstructorRequestSerializer,
    MeSerializer,
    RejectionSerializer,
    UserSerializer,
    UserUpdateSerializer,
)


@extend_schema(tags=["people"])
class MeView(generics.RetrieveUpdateAPIView):
    """The signed-in user's own profile. Role, email and staff status are read-only here."""

    serializer_class = MeSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return self.request.user

    def perform_update(self, serializer):
        serializer.instance = services.user_update_profile(
            user=self.request.user, **serializer.validated_data
        )


@extend_schema(tags=["people"], responses=MeSerializer)
class MeAvatarView(generics.GenericAPIView):
    """One's own avatar: the one upload of the API, so the one body sent as multipart/form-data."""

    serializer_class = MeSerializer
    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": AvatarSerializer})
    def put(self, request):
        avatar = validated(AvatarSerializer, request.data)["avatar"]
        user = services.user_update_profile(user=request.user, avatar=avatar)
        return respond(self.get_serializer(user).data, message=_("Avatar saved."))

    @extend_schema(request=None, responses={200: MeSerializer})
    def delete(self, request):
        user = services.user_update_profile(user=request.user, avatar="")
        return respond(self.get_serializer(user).data, message=_("Avatar removed."))


UNDECIDED = OpenApiResponse(
    description=f"`{ErrorCode.INVALID_TRANSITION}`: the request is no longer waiting for a decision."
)


@extend_schema(tags=["people"])
@extend_schema_view(
    create=extend_schema(
        responses={
            201: InstructorRequestSerializer,
            409: OpenApiResponse(description="`conflict`: a request of yours is waiting for a decision."),
        }
    )
)
class InstructorRequestViewSet(
    mixins.ListModelMixin, mixins.CreateModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Requests for the instructor role: students file their own, admins decide."""

    serializer_class = InstructorRequestSerializer
    filterset_fields = ["status"]
    search_fields = ["applicant__email", "applicant__first_name", "applicant__last_name", "motivation"]
    search_description = "Words in the applicant's email or names, or in the motivation."
    ordering_fields = ["created_at", "reviewed_at"]
    ordering = ["-created_at"]

    def get_queryset(self):
        return selectors.instructor_requests_visible_to(self.request.user)

    def get_permissions(self):
        if self.action in ("approve", "reject"):
            return [IsAdminRole()]
        return super().get_permissions()

    def perform_create(self, serializer):
        serializer.instance = services.instructor_request_submit(
            applicant=self.request.user,
            motivation=serializer.validated_data["motivation"],
            links=serializer.validated_data.get("links", []),
        )

    def _decided(self, instance, message):
        response = Response(self.get_serializer(instance).data)
        response.message = message
        return response

    @extend_schema(request=DecisionSerializer, responses={200: InstructorRequestSerializer, 409: UNDECIDED})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decided = services.instructor_request_approve(
            instructor_request=self.get_object(), reviewer=request.user, reason=data.validated_data["reason"]
        )
        return self._decided(decided, "Request approved; the applicant is now an instructor.")

    @extend_schema(request=RejectionSerializer, responses={200: InstructorRequestSerializer, 409: UNDECIDED})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        data = RejectionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decided = services.instructor_request_reject(
            instructor_request=self.get_object(), reviewer=request.user, reason=data.validated_data["reason"]
        )
        return self._decided(decided, "Request rejected; the applicant has been told why.")

    @extend_schema(
        request=None,
        responses={
            200: InstructorRequestSerializer,
            403: OpenApiResponse(description="`permission_denied`: only the applicant withdraws a request."),
            409: UNDECIDED,
        },
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """The applicant takes back their own request while it waits for a decision."""
        withdrawn = services.instructor_request_withdraw(
            instructor_request=self.get_object(), user=request.user
        )
        return self._decided(withdrawn, _("Request withdrawn."))


@extend_schema(tags=["people"])
class UserViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Accounts, for admins. PATCH changes `role` or `is_active` through the role service."""

    serializer_class = UserSerializer
    permission_classes = [IsAdminRole]
    filterset_fields = ["role", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
    search_description = "Words in the email or names."
    ordering_fields = ["email", "date_joined", "last_login", "role"]
    ordering = ["email"]

    def get_queryset(self):
        return selectors.users_for_admin()

    @extend_schema(request=UserUpdateSerializer, responses=UserSerializer)
    def partial_update(self, request, pk=None):
        changes = UserUpdateSerializer(data=request.data)
        changes.is_valid(raise_exception=True)
        user, data = self.get_object(), changes.validated_data
        with transaction.atomic():
            if "role" in data:
                user = services.user_change_role(
                    user=user, role=data["role"], changed_by=request.user, reason=data.get("reason", "")
                )
            if "is_active" in data:
                user = services.user_set_active(
                    user=user,
                    is_active=data["is_active"],
                    changed_by=request.user,
                    reason=data.get("reason", ""),
                )
        return Response(self.get_serializer(user).data)
