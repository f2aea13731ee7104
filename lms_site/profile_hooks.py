"""What other apps do when a person gives their name (learners: name the certificates issued without one).

lms_site cannot import those apps (dependencies point the other way), so they register a listener here
when they load; lms_site.services.user_update_profile calls each inside its transaction.
"""

from collections.abc import Callable

NameListener = Callable[..., object]  # called as listener(user=...)
_name_listeners: list[NameListener] = []


def register_name_listener(listener: NameListener) -> NameListener:
    if listener not in _name_listeners:
        _name_listeners.append(listener)
    return listener


def name_given(user) -> None:
    for listener in _name_listeners:
        listener(user=user)
