"""Writes about people: roles and access. Each runs in one transaction and is audited."""

from allauth.usersessions.models import UserSession
from django.contrib.auth.models import Group
from django.db import transaction

from .errors import NotAllowed, ValidationFailed
from .models import ROLE_GROUPS, AccountEvent, Role, User


def _sync_role(user: User) -> None:
    """Mirror the role into its group and staff flags; the only place that does it."""
    groups = {g.name: g for g in Group.objects.filter(name__in=ROLE_GROUPS.values())}
    missing = set(ROLE_GROUPS.values()) - groups.keys()
    for name in missing:
        groups[name] = Group.objects.create(name=name)
    user.groups.remove(*(groups[name] for name in ROLE_GROUPS.values()))
    user.groups.add(groups[ROLE_GROUPS[Role(user.role)]])
    is_admin = user.role == Role.ADMIN
    if user.is_staff != is_admin or user.is_superuser != is_admin:
        user.is_staff = user.is_superuser = is_admin
        user.save(update_fields=["is_staff", "is_superuser"])


@transaction.atomic
def user_sync_role(*, user: User) -> User:
    """Bring a user's groups in line with their role (used on sign-up and by seeding)."""
    _sync_role(user)
    return user


@transaction.atomic
def user_change_role(*, user: User, role: str, changed_by: User | None, reason: str = "") -> User:
    """Give `user` a new role. Only admins may; nobody changes their own role.

    `changed_by=None` means the system itself (migrations, seeding, the approval flow).
    """
    if role not in Role.values:
        raise ValidationFailed(details={"role": [f"'{role}' is not a valid role."]})
    if changed_by is not None:
        if changed_by.role != Role.ADMIN:
            raise NotAllowed("Only admins can change roles.")
        if changed_by.pk == user.pk:
            raise NotAllowed("You cannot change your own role.")
    user = User.objects.select_for_update().get(pk=user.pk)
    previous = user.role
    if previous != role:
        user.role = role
        user.save(update_fields=["role"])
        AccountEvent.objects.create(
            user=user,
            actor=changed_by,
            action=AccountEvent.Action.ROLE_CHANGED,
            from_value=previous,
            to_value=role,
            reason=reason,
        )
    _sync_role(user)
    return user


@transaction.atomic
def user_set_active(*, user: User, is_active: bool, changed_by: User | None, reason: str = "") -> User:
    """Activate or deactivate an account; deactivating ends its sessions and tokens at once."""
    if changed_by is not None:
        if changed_by.role != Role.ADMIN:
            raise NotAllowed("Only admins can activate or deactivate accounts.")
        if changed_by.pk == user.pk:
            raise NotAllowed("You cannot deactivate your own account.")
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active == is_active:
        return user
    user.is_active = is_active
    user.save(update_fields=["is_active"])
    AccountEvent.objects.create(
        user=user,
        actor=changed_by,
        action=AccountEvent.Action.ACTIVATED if is_active else AccountEvent.Action.DEACTIVATED,
        from_value=str(not is_active).lower(),
        to_value=str(is_active).lower(),
        reason=reason,
    )
    if not is_active:
        _end_sessions(user)
    return user


def _end_sessions(user: User) -> None:
    """End every tracked session; allauth JWTs are bound to a session, so they die with it."""
    for session in UserSession.objects.filter(user=user):
        session.end()


PROFILE_FIELDS = frozenset({"first_name", "last_name", "bio", "avatar", "phone"})


@transaction.atomic
def user_update_profile(*, user: User, **changes) -> User:
    """Edit one's own profile; identity and access fields are never touched here."""
    unknown = set(changes) - PROFILE_FIELDS
    if unknown:
        raise ValidationFailed(
            details={name: ["This field cannot be changed here."] for name in sorted(unknown)}
        )
    for name, value in changes.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    user.save(update_fields=sorted(changes) or None)
    return user
