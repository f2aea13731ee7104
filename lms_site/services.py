"""Writes about people: roles, access and instructor requests. Each is one audited transaction."""

from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from wagtail.models import Collection, GroupCollectionPermission

from . import profile_hooks
from .emails import send_templated_email
from .errors import Conflict, InvalidTransition, NotAllowed, ValidationFailed
from .links import absolute_url
from .models import (
    LIBRARY_PERMISSIONS,
    ROLE_GROUPS,
    AccountEvent,
    InstructorLibrary,
    InstructorRequest,
    Role,
    User,
)


def _sync_role(user: User) -> None:
    """Mirror the role into its group, library and staff flags; the only place that does it."""
    groups = {g.name: g for g in Group.objects.filter(name__in=ROLE_GROUPS.values())}
    missing = set(ROLE_GROUPS.values()) - groups.keys()
    for name in missing:
        groups[name] = Group.objects.create(name=name)
    user.groups.remove(*(groups[name] for name in ROLE_GROUPS.values()))
    user.groups.add(groups[ROLE_GROUPS[Role(user.role)]])
    _sync_library(user)
    is_admin = user.role == Role.ADMIN
    if user.is_staff != is_admin or user.is_superuser != is_admin:
        user.is_staff = user.is_superuser = is_admin
        user.save(update_fields=["is_staff", "is_superuser"])


def _sync_library(user: User) -> None:
    """Instructors upload into and choose from their own collection only; closed to them in other roles."""
    library = InstructorLibrary.objects.select_related("group").filter(user=user).first()
    if user.role == Role.INSTRUCTOR:
        user.groups.add((library or _create_library(user)).group)
    elif library:
        user.groups.remove(library.group)


def _create_library(user: User) -> InstructorLibrary:
    # The lock on the root queues up collections created at the same time for the tree's next path.
    root = Collection.objects.select_for_update().get(pk=Collection.get_first_root_node().pk)
    collection = root.add_child(name=user.email)
    group = Group.objects.create(name=f"Library {user.pk}")
    wanted = Q()
    for app_label, codenames in LIBRARY_PERMISSIONS.items():
        wanted |= Q(content_type__app_label=app_label, codename__in=codenames)
    permissions = Permission.objects.filter(wanted)
    GroupCollectionPermission.objects.bulk_create(
        GroupCollectionPermission(group=group, collection=collection, permission=permission)
        for permission in permissions
    )
    return InstructorLibrary.objects.create(user=user, collection=collection, group=group)


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
NAME_FIELDS = frozenset({"first_name", "last_name"})


@transaction.atomic
def user_update_profile(*, user: User, **changes) -> User:
    """Edit one's own profile; identity and access fields are never touched here.

    A first name, once given, can be changed but not removed (sign-up asks for it). Giving a name
    tells the apps that wait for one (profile_hooks).
    """
    unknown = set(changes) - PROFILE_FIELDS
    if unknown:
        raise ValidationFailed(
            details={name: ["This field cannot be changed here."] for name in sorted(unknown)}
        )
    if "first_name" in changes and not (changes["first_name"] or "").strip():
        raise ValidationFailed(details={"first_name": [_("Give your first name: it is how others see you.")]})
    for name, value in changes.items():
        setattr(user, name, (value or "").strip() if name in NAME_FIELDS else value)
    user.full_clean(exclude=["password"])
    user.save(update_fields=sorted(changes) or None)
    if NAME_FIELDS & changes.keys():
        profile_hooks.name_given(user)
    return user


def _require_admin(actor: User, message: str) -> None:
    if actor.role != Role.ADMIN:
        raise NotAllowed(message)


@transaction.atomic
def instructor_request_submit(*, applicant: User, motivation: str, links: list[str] | None = None):
    """A student asks for the instructor role; admins are told. One open request at a time."""
    if applicant.role != Role.STUDENT:
        raise NotAllowed("Only students can apply to become instructors.")
    motivation = (motivation or "").strip()
    if not motivation:
        raise ValidationFailed(details={"motivation": ["Tell us why you want to teach."]})
    # Lock the applicant so two simultaneous submissions queue up behind each other.
    User.objects.select_for_update().filter(pk=applicant.pk).first()
    if InstructorRequest.objects.filter(
        applicant=applicant, status=InstructorRequest.Status.PENDING
    ).exists():
        raise Conflict("You already have a request waiting for review.")
    try:
        with transaction.atomic():
            request = InstructorRequest.objects.create(
                applicant=applicant, motivation=motivation, links=list(links or [])
            )
    except IntegrityError as exc:  # the partial unique constraint has the last word
        raise Conflict("You already have a request waiting for review.") from exc

    admin_emails = list(User.objects.filter(role=Role.ADMIN, is_active=True).values_list("email", flat=True))
    if admin_emails:
        send_templated_email(
            template_prefix="lms_site/email/instructor_request_submitted",
            to=admin_emails,
            context={
                "request": request,
                "applicant": applicant,
                "review_url": absolute_url(
                    reverse("admin:lms_site_instructorrequest_change", args=[request.pk])
                ),
            },
        )
    return request


def _lock_pending(instructor_request: InstructorRequest) -> InstructorRequest:
    locked = (
        InstructorRequest.objects.select_for_update()
        .select_related("applicant")
        .get(pk=instructor_request.pk)
    )
    if locked.status != InstructorRequest.Status.PENDING:
        raise InvalidTransition(f"This request has already been {locked.get_status_display().lower()}.")
    return locked


def _decide(*, instructor_request: InstructorRequest, reviewer: User, decision: str, reason: str):
    locked = _lock_pending(instructor_request)
    getattr(locked, decision)()
    locked.reviewer = reviewer
    locked.reviewed_at = timezone.now()
    locked.decision_reason = reason
    locked.save(update_fields=["status", "reviewer", "reviewed_at", "decision_reason"])
    return locked


@transaction.atomic
def instructor_request_approve(*, instructor_request: InstructorRequest, reviewer: User, reason: str = ""):
    """Approve: the applicant becomes an instructor and is told by email."""
    _require_admin(reviewer, "Only admins can decide instructor requests.")
    decided = _decide(
        instructor_request=instructor_request, reviewer=reviewer, decision="approve", reason=reason.strip()
    )
    user_change_role(
        user=decided.applicant,
        role=Role.INSTRUCTOR,
        changed_by=reviewer,
        reason="Instructor request approved.",
    )
    _tell_applicant(decided, "lms_site/email/instructor_request_approved")
    return decided


@transaction.atomic
def instructor_request_reject(*, instructor_request: InstructorRequest, reviewer: User, reason: str):
    """Reject with a reason, which the applicant receives by email."""
    reason = (reason or "").strip()
    _require_admin(reviewer, "Only admins can decide instructor requests.")
    if not reason:
        raise ValidationFailed(details={"reason": ["A reason is required to reject a request."]})
    decided = _decide(
        instructor_request=instructor_request, reviewer=reviewer, decision="reject", reason=reason
    )
    _tell_applicant(decided, "lms_site/email/instructor_request_rejected")
    return decided


@transaction.atomic
def instructor_request_withdraw(*, instructor_request: InstructorRequest, user: User) -> InstructorRequest:
    """The applicant takes back a request still waiting for a decision; they may file a new one later."""
    if instructor_request.applicant_id != user.pk:
        raise NotAllowed("Only the applicant can withdraw a request.")
    locked = _lock_pending(instructor_request)
    locked.withdraw()
    locked.save(update_fields=["status"])
    return locked


def _tell_applicant(decided: InstructorRequest, template_prefix: str) -> None:
    send_templated_email(
        template_prefix=template_prefix,
        to=[decided.applicant.email],
        context={
            "request": decided,
            "applicant": decided.applicant,
            "cms_url": absolute_url("/cms/"),
            "apply_url": absolute_url(reverse("lms_site:become_instructor")),
        },
    )


# Invitations: accounts made for people (an import) get a link to set their first password.


def invitation_url(user: User) -> str:
    """A link that works until the password is set or PASSWORD_RESET_TIMEOUT passes (Django's reset
    token: it hashes the password and the last login, so it is good for one use)."""
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    return absolute_url(
        reverse("lms_site:invitation", args=[uidb64, default_token_generator.make_token(user)])
    )


def invitation_valid_days() -> int:
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)


def invitation_send(*, user: User, invited_by: User) -> None:
    """Email the invitation once the account is committed."""
    send_templated_email(
        template_prefix="lms_site/email/invitation",
        to=[user.email],
        context={
            "user": user,
            "invited_by": invited_by,
            "invitation_url": invitation_url(user),
            "valid_days": invitation_valid_days(),
        },
    )


def invited_user(*, uidb64: str, token: str) -> User | None:
    """The account an invitation link names, while the link holds; None once used, expired or forged."""
    try:
        user = User.objects.get(pk=urlsafe_base64_decode(uidb64).decode(), is_active=True)
    except (ValueError, TypeError, OverflowError, ValidationError, User.DoesNotExist):
        return None
    return user if default_token_generator.check_token(user, token) else None


@transaction.atomic
def invitation_accept(*, uidb64: str, token: str, password: str) -> User:
    """Set the first password from an invitation link; the link then stops working."""
    user = invited_user(uidb64=uidb64, token=token)
    if user is None:
        raise NotAllowed(_("This invitation link has expired or was used already."))
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationFailed(details={"password": error.messages}) from error
    user.set_password(password)
    user.save(update_fields=["password"])
    return user
