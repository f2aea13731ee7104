from allauth.headless.contrib.rest_framework.authentication import JWTTokenAuthentication
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerJWTAuthentication(JWTTokenAuthentication):
    """allauth's access tokens, under a name of our own in the schema."""


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
