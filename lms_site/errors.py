"""Domain errors raised by services; the API maps each to a status and an error code."""

from django.db import OperationalError as DatabaseUnavailable
from django.db import models
from django.utils.translation import gettext_lazy as _
from kombu.exceptions import OperationalError as BrokerUnavailable
from redis.exceptions import ConnectionError as RedisUnreachable
from redis.exceptions import TimeoutError as RedisTimeout

# A dependency that is down or refusing work for now (database, Redis, the broker): the request may
# succeed later, so it answers 503 service_unavailable rather than 500. Redis and the broker normally
# have fallbacks (lms_site.cache, lms_site.jobs); these are what still gets through.
SERVICE_UNAVAILABLE = (DatabaseUnavailable, BrokerUnavailable, RedisUnreachable, RedisTimeout)


class ErrorCode(models.TextChoices):
    """Every `error.code` the API answers with (api.md); the schema documents exactly these."""

    VALIDATION_ERROR = "validation_error", _("Some of the input is not valid (400).")
    NOT_AUTHENTICATED = "not_authenticated", _("No credentials where they are needed (401).")
    AUTHENTICATION_FAILED = "authentication_failed", _("A bad or expired token (401).")
    PERMISSION_DENIED = "permission_denied", _("Signed in, but not allowed (403).")
    NOT_FOUND = "not_found", _("No such object, or not one you may see (404).")
    METHOD_NOT_ALLOWED = "method_not_allowed", _("The path does not take this method (405).")
    PAYMENT_REQUIRED = "payment_required", _("The course is paid (402).")
    CONFLICT = "conflict", _("It conflicts with the current state (409).")
    INVALID_TRANSITION = "invalid_transition", _("Not possible from the current state (409).")
    ALREADY_ENROLLED = "already_enrolled", _("Enrolled already (409).")
    ALREADY_REVIEWED = "already_reviewed", _("Reviewed already (409).")
    REVIEW_NEEDS_PROGRESS = "review_needs_progress", _("A review needs at least one completed lesson (409).")
    LESSON_LOCKED = "lesson_locked", _("The lesson opens once the one before it is complete (409).")
    GRADE_REQUIRED = "grade_required", _("The lesson completes when its work is graded as passing (409).")
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type", _("The body's content type is not taken here (415).")
    NOT_ACCEPTABLE = "not_acceptable", _("No answer in a format the Accept header allows (406).")
    PAYLOAD_TOO_LARGE = "payload_too_large", _("The body is too large (413).")
    THROTTLED = "throttled", _("Too many requests; retry after `Retry-After` seconds (429).")
    SERVICE_UNAVAILABLE = "service_unavailable", _("A service the answer needs is down; retry later (503).")
    SERVER_ERROR = "server_error", _("Something went wrong on our side (500).")


class DomainError(Exception):
    status_code = 400
    code = ErrorCode.VALIDATION_ERROR
    default_message = _("The request could not be completed.")

    def __init__(self, message=None, *, details=None):
        self.message = str(message or self.default_message)
        self.details = details or {}
        super().__init__(self.message)

    def full_message(self) -> str:
        """The message and the field messages behind it, as one line for a page or the admin."""
        details = [str(text) for texts in self.details.values() for text in texts]
        return " ".join([self.message, *details])


class ValidationFailed(DomainError):
    """Input the service cannot accept; `details` maps field -> messages."""


class NotAllowed(DomainError):
    status_code = 403
    code = ErrorCode.PERMISSION_DENIED
    default_message = _("You do not have permission to do that.")


class NotFound(DomainError):
    """Absent, or not visible to the one asking: the two answer alike so nothing leaks."""

    status_code = 404
    code = ErrorCode.NOT_FOUND
    default_message = _("Not found.")


class Conflict(DomainError):
    status_code = 409
    code = ErrorCode.CONFLICT
    default_message = _("That conflicts with the current state.")


class InvalidTransition(Conflict):
    code = ErrorCode.INVALID_TRANSITION
    default_message = _("That change is not possible from the current state.")


class AlreadyEnrolled(Conflict):
    code = ErrorCode.ALREADY_ENROLLED
    default_message = _("You are already enrolled in this course.")


class AlreadyReviewed(Conflict):
    code = ErrorCode.ALREADY_REVIEWED
    default_message = _("You have already reviewed this course.")


class ReviewNeedsProgress(Conflict):
    """A review speaks for some of the course, so the reviewer has completed a lesson of it."""

    code = ErrorCode.REVIEW_NEEDS_PROGRESS
    default_message = _("Complete at least one lesson before reviewing this course.")


class LessonLocked(Conflict):
    """Sequential courses: a lesson opens once the one before it is complete."""

    code = ErrorCode.LESSON_LOCKED

    def __init__(self, complete_first):
        super().__init__(_("Complete “%(title)s” first.") % {"title": complete_first.title})


class PaymentRequired(DomainError):
    status_code = 402
    code = ErrorCode.PAYMENT_REQUIRED
    default_message = _("This course is paid: an admin grants the enrolment once it is paid for.")


class GradeRequired(Conflict):
    """An assignment lesson completes when its work is graded passing, never by marking it complete."""

    code = ErrorCode.GRADE_REQUIRED
    default_message = _("This lesson is complete once your work is graded as passing.")


class ServiceUnavailable(DomainError):
    status_code = 503
    code = ErrorCode.SERVICE_UNAVAILABLE
    default_message = _("A service this needs is not answering right now. Please try again in a moment.")
