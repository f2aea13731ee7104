"""Test-only URLconf: the project's routes plus throwaway /api/v1/ views that fail on purpose.

Tests select it with `@pytest.mark.urls("lms_site.tests.urls_errors")`, so every error
travels a real request through the real renderer, exception handler and error pages.
"""

from django.db import OperationalError
from django.urls import path
from redis.exceptions import ConnectionError as RedisConnectionError
from rest_framework import generics, serializers
from rest_framework.exceptions import APIException
from rest_framework.permissions import AllowAny, IsAdminUser
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from config import urls as project_urls
from lms_site import errors

PREFIX = "api/v1/_test/"
DOMAIN_ERRORS = {
    error.code: error
    for error in (
        errors.PaymentRequired,
        errors.Conflict,
        errors.InvalidTransition,
        errors.AlreadyEnrolled,
        errors.AlreadyReviewed,
        errors.ReviewNeedsProgress,
        errors.NotAllowed,
        errors.ValidationFailed,
    )
}
NUMBERS = [{"n": n} for n in range(150)]


class RaiseDomainError(APIView):
    permission_classes = [AllowAny]

    def post(self, request, code):
        raise DOMAIN_ERRORS[code](details={"reason": code})


class AdminOnly(APIView):
    permission_classes = [IsAdminUser]

    def get(self, request):
        return Response({})


class OncePerMinute(AnonRateThrottle):
    scope = "test_once"
    rate = "1/min"


class Throttled(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [OncePerMinute]

    def get(self, request):
        return Response({})


class Crash(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        raise RuntimeError("boom")


class ServiceUnavailable(APIException):
    status_code = 503
    default_detail = "Try again later."


class Unavailable(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        raise ServiceUnavailable


def plain_django_crash(request):
    raise RuntimeError("boom")


class RedisDown(APIView):
    """What a Redis client raises when nothing answers, escaping the fallbacks."""

    permission_classes = [AllowAny]

    def get(self, request):
        raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


def database_down(request):
    raise OperationalError("connection to server at 127.0.0.1 port 5432 failed: Connection refused")


class NoContent(APIView):
    """Hands data to a 204 by mistake; the client must still get no body."""

    permission_classes = [AllowAny]

    def delete(self, request):
        return Response({"deleted": True}, status=204)


class NumberSerializer(serializers.Serializer):
    n = serializers.IntegerField()


class Numbers(generics.ListAPIView):
    """A list under the project's default pagination, without a database."""

    permission_classes = [AllowAny]
    serializer_class = NumberSerializer
    filter_backends = []

    def get_queryset(self):
        return NUMBERS


urlpatterns = [
    path(f"{PREFIX}domain/<str:code>/", RaiseDomainError.as_view()),
    path(f"{PREFIX}admin-only/", AdminOnly.as_view()),
    path(f"{PREFIX}throttled/", Throttled.as_view()),
    path(f"{PREFIX}crash/", Crash.as_view()),
    path(f"{PREFIX}unavailable/", Unavailable.as_view()),
    path(f"{PREFIX}django-crash/", plain_django_crash),
    path("_test/site-crash/", plain_django_crash),
    path(f"{PREFIX}redis-down/", RedisDown.as_view()),
    path(f"{PREFIX}database-down/", database_down),
    path("_test/database-down/", database_down),
    path(f"{PREFIX}no-content/", NoContent.as_view()),
    path(f"{PREFIX}numbers/", Numbers.as_view()),
    *project_urls.urlpatterns,
]
# Django reads the error handlers from the root URLconf, so the project's apply here too.
handler404 = project_urls.handler404
handler500 = project_urls.handler500
