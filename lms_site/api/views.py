from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.parsers import JSONParser, MultiPartParser

from lms_site import services

from .serializers import MeSerializer


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
