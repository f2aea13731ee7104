"""Turn every failure under /api/v1/ into the envelope of api.md with a stable error code."""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error

from lms_site.errors import SERVICE_UNAVAILABLE, DomainError, ServiceUnavailable

logger = logging.getLogger(__name__)

# DRF exception -> (status, code); anything else 4xx is a validation error.
_CODES = {
    exceptions.NotAuthenticated: (401, "not_authenticated"),
    exceptions.AuthenticationFailed: (401, "authentication_failed"),
    exceptions.PermissionDenied: (403, "permission_denied"),
    exceptions.NotFound: (404, "not_found"),
    exceptions.MethodNotAllowed: (405, "method_not_allowed"),
    exceptions.NotAcceptable: (406, "not_acceptable"),
    exceptions.UnsupportedMediaType: (415, "unsupported_media_type"),
    exceptions.Throttled: (429, "throttled"),
}


def error_response(*, status_code: int, code: str, message: str, details=None, headers=None) -> Response:
    response = Response(
        {
            "success": False,
            "message": message,
            "data": None,
            "error": {"code": code, "details": details or {}},
        },
        status=status_code,
        headers=headers,
    )
    response.enveloped = True
    return response


def _message(detail) -> str:
    return str(detail) if isinstance(detail, str) else _("The request is not valid.")


def envelope_exception_handler(exc, context):
    if isinstance(exc, SERVICE_UNAVAILABLE):
        logger.error("A dependency is unavailable in %s", context.get("view"), exc_info=exc)
        exc = ServiceUnavailable()
    if isinstance(exc, DomainError):
        return error_response(
            status_code=exc.status_code, code=exc.code, message=exc.message, details=exc.details
        )
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        return error_response(
            status_code=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            code="payload_too_large",
            message=_("The request body is too large."),
        )
    elif isinstance(exc, SuspiciousOperation):  # e.g. too many fields or files in a form body
        exc = exceptions.ValidationError(_("The request is not valid."))
    elif isinstance(exc, IntegrityError):
        logger.warning("Integrity error reached the API: %s", exc)
        return error_response(
            status_code=status.HTTP_409_CONFLICT,
            code="conflict",
            message=_("That conflicts with existing data."),
        )

    if not isinstance(exc, exceptions.APIException):
        logger.exception("Unhandled error in %s", context.get("view"), exc_info=exc)
        return error_response(
            status_code=500, code="server_error", message=_("Something went wrong on our side.")
        )

    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))

    for klass, (status_code, code) in _CODES.items():
        if isinstance(exc, klass):
            details = {"wait": int(exc.wait)} if isinstance(exc, exceptions.Throttled) and exc.wait else {}
            return error_response(
                status_code=status_code, code=code, message=str(exc.detail), details=details, headers=headers
            )

    if exc.status_code >= 500:  # a bare APIException or a 5xx subclass: our failure, not the client's
        return error_response(
            status_code=exc.status_code, code="server_error", message=str(exc.detail), headers=headers
        )

    # ValidationError, ParseError and the like.
    detail = exc.detail
    if isinstance(exc, exceptions.ValidationError):
        details = detail if isinstance(detail, dict) else {"non_field_errors": detail}
        message = _("Some of the data is not valid.")
    else:
        details = {"non_field_errors": [str(detail)]}
        message = _message(detail)
    return error_response(
        status_code=400, code="validation_error", message=message, details=details, headers=headers
    )
