"""People without a name, and the check that what others see of them owes nothing to their email address."""

import re

from lms_site.models import NO_NAME_LABEL

from .factories import StudentFactory

# Names that a fallback could derive from an address: the address, its local part, its words.
EMAIL = "alice.smith@example.com"
LABEL = str(NO_NAME_LABEL)


def nameless(factory=StudentFactory, *, email: str = EMAIL, **kwargs):
    """An account that never gave a name, as before sign-up asked for one."""
    return factory(email=email, first_name="", last_name="", **kwargs)


def assert_no_email_of(user, text: str) -> None:
    """Neither `user`'s address, nor its local part, nor that part's words as a name are in `text`."""
    local = user.email.split("@")[0]
    lowered = text.lower()
    for derived in (user.email, local, " ".join(re.split(r"[._+-]", local))):
        assert derived.lower() not in lowered, f"{derived!r} is shown"
