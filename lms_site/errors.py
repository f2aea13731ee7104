"""Domain errors raised by services; the API maps each to a status and an error code."""

from django.db import OperationalError as DatabaseUnavailable
from django.utils.translation import gettext_lazy as _
from kombu.exceptions import OperationalError as BrokerUnavailable
from redis.exceptions import ConnectionError as RedisUnreachable
from redis.exceptions import TimeoutError as RedisTimeout

# A dependency that is down or refusing work for now (database, Redis, the broker): the request may
# succeed later, so it answers 503 service_unavailable rather than 500. Redis and the broker normally
# have fallbacks (lms_site.cache, lms_site.jobs); these are what still gets through.
SERVICE_UNAVAILABLE = (DatabaseUnavailable, BrokerUnavailable, RedisUnreachable, RedisTimeout)


class DomainError(Exception):
    status_code = 400
    code = "validation_error"
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
    code = "permission_denied"
    default_message = _("You do not have permission to do that.")


class NotFound(DomainError):
    """Absent, or not visible to the one asking: the two answer alike so nothing leaks."""

    status_code = 404
    code = "not_found"
    default_message = _("Not found.")


class Conflict(DomainError):
    status_code = 409
    code = "conflict"
    default_message = _("That conflicts with the current state.")


class InvalidTransition(Conflict):
    code = "invalid_transition"
    default_message = _("That change is not possible from the current state.")


class AlreadyEnrolled(Conflict):
    code = "already_enrolled"
    default_message = _("You are already enrolled in this course.")


class AlreadyReviewed(Conflict):
    code = "already_reviewed"
    default_message = _("You have already reviewed this course.")


class PaymentRequired(DomainError):
    status_code = 402
    code = "payment_required"
    default_message = _("This course is paid: an admin grants the enrolment once it is paid for.")


class ServiceUnavailable(DomainError):
    status_code = 503
    code = "service_unavailable"
    default_message = _("A service this needs is not answering right now. Please try again in a moment.")
