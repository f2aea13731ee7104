"""Who may open a lesson: the owner, admins, anyone for previews, and whoever another app says.

catalog cannot import learners (dependencies point the other way), so learners registers its
enrolment check here when it loads.
"""

from collections.abc import Callable

EnrolmentCheck = Callable[[object, object], bool]
_enrolment_checks: list[EnrolmentCheck] = []


def register_enrolment_check(check: EnrolmentCheck) -> EnrolmentCheck:
    if check not in _enrolment_checks:
        _enrolment_checks.append(check)
    return check


def is_enrolled(user, course) -> bool:
    return user.is_authenticated and any(check(user, course) for check in _enrolment_checks)
