from rest_framework import serializers

from lms_site.models import User


class MeSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "first_name",
            "last_name",
            "role",
            "is_staff",
            "bio",
            "avatar",
            "phone",
            "date_joined",
        ]
        read_only_fields = ["id", "email", "role", "is_staff", "date_joined"]
