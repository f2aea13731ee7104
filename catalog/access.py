"""Who may open a lesson: the owner, admins, anyone for previews, and whoever another app says.

catalog cannot import learners (dependencies point the other way), so learners registers here when
it loads: its enrolment check, and its lock check (sequential courses, where a lesson opens once the
one before it is complete).
"""

from collections.abc import Callable

EnrolmentCheck = Callable[[object, object], bool]
# (user, lesson) -> the lesson to complete first, or None when the lesson is open to the user.
LockCheck = Callable[[object, object], object | None]
_enrolment_checks: list[EnrolmentCheck] = []
_lock_checks: list[LockCheck] = []


def register_enrolment_check(check: EnrolmentCheck) -> EnrolmentCheck:
    if check not in _enrolment_checks:
        _enrolment_checks.append(check)
    return check


def register_lock_check(check: LockCheck) -> LockCheck:
    if check not in _lock_checks:
        _lock_checks.append(check)
    return check


def is_enrolled(user, course) -> bool:
    return user.is_authenticated and any(check(user, course) for check in _enrolment_checks)


def locked_by(user, lesson):
    """The lesson `user` must complete before `lesson` opens, or None."""
    if not user.is_authenticated:
        return None
    return next((before for check in _lock_checks if (before := check(user, lesson)) is not None), None)
