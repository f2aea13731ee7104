"""Two-factor authentication is the admins' duty: without an authenticator app, no admin powers.

Everyone may protect their account with allauth's MFA (an authenticator app and recovery codes).
Admins must: until they have set up an authenticator app, /admin/ and /cms/ send them to do so,
and the API refuses them (lms_site.api.authentication). Instructors reach /cms/ without it.
"""

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from .models import Role

ADMIN_AREAS = ("/admin/", "/cms/")
SET_UP_MESSAGE = _(
    "Admins protect their account with two-factor authentication. Set up an authenticator app "
    "to continue to the admin areas."
)
API_REFUSAL = _(
    "Admins protect their account with two-factor authentication. Set up an authenticator app "
    "(/_allauth/app/v1/account/authenticators/totp) before using the API."
)


def lacks_required_second_factor(user) -> bool:
    """An active admin (or any staff) without an authenticator app; remembered for the request."""
    if not (user.is_authenticated and user.is_active):
        return False
    if not (user.is_staff or user.is_superuser or user.role == Role.ADMIN):
        return False
    if not hasattr(user, "_has_authenticator_app"):
        user._has_authenticator_app = is_mfa_enabled(user, [Authenticator.Type.TOTP])
    return not user._has_authenticator_app


class SecondFactorForAdminsMiddleware:
    """Send an admin without an authenticator app from /admin/ and /cms/ to set one up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith(ADMIN_AREAS) and lacks_required_second_factor(request.user):
            messages.warning(request, SET_UP_MESSAGE)
            return redirect("mfa_activate_totp")
        return self.get_response(request)
