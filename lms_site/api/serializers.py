from allauth.account.utils import has_verified_email
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lms_site.links import absolute_url
from lms_site.models import InstructorRequest, Role, User
from lms_site.validators import validate_avatar


class MeSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="get_full_name", read_only=True)
    email_verified = serializers.SerializerMethodField(help_text="Whether the email address is verified.")
    avatar = serializers.SerializerMethodField(help_text="Set and remove it at /api/v1/me/avatar/.")

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "email_verified",
            "first_name",
            "last_name",
            "full_name",
            "role",
            "is_staff",
            "bio",
            "avatar",
            "phone",
            "date_joined",
        ]
        read_only_fields = ["id", "email", "role", "is_staff", "date_joined"]

    def get_email_verified(self, user) -> bool:
        return has_verified_email(user, user.email)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_avatar(self, user) -> str | None:
        return absolute_url(user.avatar.url) if user.avatar else None


class AvatarSerializer(serializers.Serializer):
    avatar = serializers.ImageField(validators=[validate_avatar], help_text="An image file.")


class PersonSerializer(serializers.Serializer):
    """Someone as anyone may see them: their public name, never their email address."""

    id = serializers.UUIDField(read_only=True)
    name = serializers.CharField(source="public_name", read_only=True)


class UserSummarySerializer(serializers.ModelSerializer):
    """An account as its owner and admins see it, email included."""

    full_name = serializers.CharField(source="public_name", read_only=True)

    class Meta:
        model = User
        fields = ["id", "email", "full_name"]


class UserSerializer(serializers.ModelSerializer):
    """What an admin sees of an account; only `role` and `is_active` can change, via the services."""

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "first_name",
            "last_name",
            "role",
            "is_active",
            "is_staff",
            "bio",
            "phone",
            "date_joined",
            "last_login",
        ]
        read_only_fields = [name for name in fields if name not in ("role", "is_active")]


class UserUpdateSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices, required=False)
    is_active = serializers.BooleanField(required=False)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000)

    def validate(self, attrs):
        if "role" not in attrs and "is_active" not in attrs:
            raise serializers.ValidationError({"non_field_errors": ["Send `role` or `is_active`."]})
        return attrs


class InstructorRequestSerializer(serializers.ModelSerializer):
    # Read by the applicant and admins only; the reviewer is an admin whose email the applicant may not see.
    applicant = UserSummarySerializer(read_only=True)
    reviewer = PersonSerializer(read_only=True, allow_null=True)
    links = serializers.ListField(child=serializers.URLField(max_length=500), max_length=10, required=False)

    class Meta:
        model = InstructorRequest
        fields = [
            "id",
            "applicant",
            "motivation",
            "links",
            "status",
            "reviewer",
            "reviewed_at",
            "decision_reason",
            "created_at",
        ]
        read_only_fields = ["status", "reviewed_at", "decision_reason", "created_at"]
        extra_kwargs = {"motivation": {"max_length": 5000}}


class DecisionSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class RejectionSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)
