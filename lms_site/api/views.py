from django.db import transaction
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, mixins, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.response import Response

from lms_site import selectors, services

from .permissions import IsAdminRole
from .serializers import (
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
    parser_classes = [JSONParser, MultiPartParser]
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        return self.request.user

    def perform_update(self, serializer):
        serializer.instance = services.user_update_profile(
            user=self.request.user, **serializer.validated_data
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

    @extend_schema(request=DecisionSerializer, responses=InstructorRequestSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        data = DecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decided = services.instructor_request_approve(
            instructor_request=self.get_object(), reviewer=request.user, reason=data.validated_data["reason"]
        )
        return self._decided(decided, "Request approved; the applicant is now an instructor.")

    @extend_schema(request=RejectionSerializer, responses=InstructorRequestSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        data = RejectionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decided = services.instructor_request_reject(
            instructor_request=self.get_object(), reviewer=request.user, reason=data.validated_data["reason"]
        )
        return self._decided(decided, "Request rejected; the applicant has been told why.")


@extend_schema(tags=["people"])
class UserViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Accounts, for admins. PATCH changes `role` or `is_active` through the role service."""

    serializer_class = UserSerializer
    permission_classes = [IsAdminRole]
    filterset_fields = ["role", "is_active"]
    search_fields = ["email", "first_name", "last_name"]
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
