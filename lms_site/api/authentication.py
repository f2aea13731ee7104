from allauth.headless.contrib.rest_framework.authentication import JWTTokenAuthentication
from drf_spectacular.authentication import SessionScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from lms_site.mfa import API_REFUSAL, lacks_required_second_factor


class SecondFactorForAdminsMixin:
    """Refuse an admin's every call until they have an authenticator app (lms_site.mfa)."""

    def authenticate(self, request):
        authenticated = super().authenticate(request)
        if authenticated is not None and lacks_required_second_factor(authenticated[0]):
            raise exceptions.PermissionDenied(API_REFUSAL)
        return authenticated


class BearerJWTAuthentication(SecondFactorForAdminsMixin, JWTTokenAuthentication):
    """allauth's access tokens, under a name of our own in the schema."""


class SessionAuthentication(SecondFactorForAdminsMixin, authentication.SessionAuthentication):
    """The site's session cookie, as the site's own pages use it."""


class BearerJWTScheme(OpenApiAuthenticationExtension):
    target_class = "lms_site.api.authentication.BearerJWTAuthentication"
    name = "JWT"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "Access token from `POST /_allauth/app/v1/auth/login` (`meta.access_token`).",
        }


class SessionCookieScheme(SessionScheme):
    """The session cookie documented as drf-spectacular documents DRF's own."""

    target_class = "lms_site.api.authentication.SessionAuthentication"
