"""Error pages: JSON envelopes under /api/, the site's templates everywhere else; and the favicon."""

import sys

from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template import loader
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views import csrf, defaults
from django.views.decorators.csrf import csrf_exempt

from .errors import SERVICE_UNAVAILABLE, ServiceUnavailable

API_PREFIX = "/api/"


def _envelope(status: int, code: str, message: str) -> JsonResponse:
    body = {"success": False, "message": message, "data": None, "error": {"code": code, "details": {}}}
    return JsonResponse(body, status=status)


def bad_request(request, exception=None):
    """Also the answer to Django's refusals of a request's shape (SuspiciousOperation), such as a body
    over DATA_UPLOAD_MAX_MEMORY_SIZE, which is a 413."""
    if isinstance(exception, RequestDataTooBig):
        return payload_too_large(request)
    return invalid_input(request, _("The request is not valid."), exception)


def invalid_input(request, message: str, exception=None):
    """400: under /api/ with `message`; the site's page says it in general terms."""
    if request.path.startswith(API_PREFIX):
        return _envelope(400, "validation_error", message)
    return defaults.bad_request(request, exception)


def payload_too_large(request):
    if request.path.startswith(API_PREFIX):
        return _envelope(413, "payload_too_large", _("The request body is too large."))
    return HttpResponse(loader.get_template("413.html").render(), status=413)


def permission_denied(request, exception=None):
    if request.path.startswith(API_PREFIX):
        return _envelope(403, "permission_denied", _("You do not have permission to do that."))
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception=None):
    if request.path.startswith(API_PREFIX):
        return _envelope(404, "not_found", _("Not found."))
    return defaults.page_not_found(request, exception)


@csrf_exempt
def api_not_found(request, *args, **kwargs):
    """A path under /api/ no route takes (a missing trailing slash too), whatever the method or DEBUG.

    Without it, DEBUG answers Django's HTML page and APPEND_SLASH redirects, or fails a POST with a 500.
    """
    return page_not_found(request)


def csrf_failure(request, reason=""):
    """A form posted without its CSRF token: under /api/ (a path no API view answers), the envelope."""
    if request.path.startswith(API_PREFIX):
        return _envelope(403, "permission_denied", _("The request was refused (CSRF check failed)."))
    return csrf.csrf_failure(request, reason=reason)


def server_error(request):
    # Django calls this while handling the exception, which says whether a dependency is down (503).
    if isinstance(sys.exception(), SERVICE_UNAVAILABLE):
        return service_unavailable(request)
    if request.path.startswith(API_PREFIX):
        return _envelope(500, "server_error", _("Something went wrong on our side."))
    return defaults.server_error(request)


def service_unavailable(request):
    if request.path.startswith(API_PREFIX):
        return _envelope(503, ServiceUnavailable.code, str(ServiceUnavailable.default_message))
    return HttpResponse(loader.get_template("503.html").render(), status=503)


FAVICON = "lms_site/img/logo.svg"


def favicon(request):
    """Browsers ask for /favicon.ico on every screen that names no icon (Wagtail's, files, errors)."""
    return redirect(static(FAVICON))
