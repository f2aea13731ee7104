import uuid

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from .validators import validate_avatar


class Role(models.TextChoices):
    STUDENT = "student", _("Student")
    INSTRUCTOR = "instructor", _("Instructor")
    ADMIN = "admin", _("Admin")


# What others see for an account without a name: never anything derived from the email address.
NO_NAME_LABEL = _("Anonymous")

# The Wagtail/Django group that mirrors each role (see lms_site.services.user_change_role).
ROLE_GROUPS = {
    Role.STUDENT: "Students",
    Role.INSTRUCTOR: "Instructors",
    Role.ADMIN: "Admins",
}


class UserQuerySet(models.QuerySet):
    def with_email(self, email: str):
        return self.filter(email__iexact=email.strip())


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)

    def _create_user(self, email, password, **fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **fields):
        fields.setdefault("role", Role.STUDENT)
        fields.update(is_staff=fields["role"] == Role.ADMIN, is_superuser=fields["role"] == Role.ADMIN)
        return self._create_user(email, password, **fields)

    def create_superuser(self, email, password=None, **fields):
        fields["role"] = Role.ADMIN
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person, identified by email. `role` drives groups and staff status."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(_("email address"), max_length=254, unique=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STUDENT)
    bio = models.TextField(_("bio"), blank=True)
    avatar = models.ImageField(
        _("avatar"), upload_to="avatars/%Y/%m/", blank=True, validators=[validate_avatar]
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="user_role_valid"),
        ]
        indexes = [
            models.Index(fields=["role"], name="user_role_idx"),
            models.Index(fields=["date_joined"], name="user_date_joined_idx"),
        ]

    def __str__(self):
        return self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    @property
    def full_name(self) -> str:
        """The name the person gave, or "" for an account without one."""
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def public_name(self) -> str:
        """How the person is shown to others: their name, or a neutral label, never their email."""
        return self.full_name or str(NO_NAME_LABEL)

    def get_full_name(self):
        """Django, Wagtail and unfold show this, and Wagtail falls back to the email when it is
        empty (page owner filters, history), so it is the public name too."""
        return self.public_name

    def get_short_name(self):
        return self.first_name or self.public_name

    @property
    def is_student(self):
        return self.role == Role.STUDENT

    @property
    def is_instructor(self):
        return self.role == Role.INSTRUCTOR

    @property
    def is_admin(self):
        return self.role == Role.ADMIN


class AccountEvent(models.Model):
    """Audit trail of account changes: who changed whose role or access, when, from what to what."""

    class Action(models.TextChoices):
        ROLE_CHANGED = "role_changed", _("Role changed")
        ACTIVATED = "activated", _("Activated")
        DEACTIVATED = "deactivated", _("Deactivated")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    from_value = models.CharField(max_length=20)
    to_value = models.CharField(max_length=20)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("account event")

    def __str__(self):
        return f"{self.user}: {self.action} {self.from_value} -> {self.to_value}"


class InstructorRequest(FSMModelMixin, models.Model):
    """A student's application for the instructor role, decided by an admin."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="instructor_requests"
    )
    motivation = models.TextField(_("motivation"))
    links = models.JSONField(_("links"), default=list, blank=True)
    status = FSMField(_("status"), default=Status.PENDING, choices=Status.choices, protected=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    decision_reason = models.TextField(_("decision reason"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("instructor request")
        constraints = [
            models.UniqueConstraint(
                fields=["applicant"],
                condition=models.Q(status="pending"),
                name="one_pending_instructor_request_per_user",
            ),
        ]
        indexes = [models.Index(fields=["status", "-created_at"], name="instr_req_status_created_idx")]

    def __str__(self):
        return f"{self.applicant} ({self.get_status_display()})"

    @transition(field=status, source=Status.PENDING, target=Status.APPROVED)
    def approve(self):
        """State only; lms_site.services.instructor_request_approve does the rest."""

    @transition(field=status, source=Status.PENDING, target=Status.REJECTED)
    def reject(self):
        """State only; lms_site.services.instructor_request_reject does the rest."""

    @transition(field=status, source=Status.PENDING, target=Status.WITHDRAWN)
    def withdraw(self):
        """State only; lms_site.services.instructor_request_withdraw does the rest."""


# What an instructor may upload into and choose from in /cms/ (see lms_site.services.user_change_role).
LIBRARY_PERMISSIONS = {
    "wagtaildocs": ("add_document", "choose_document"),
    "wagtailimages": ("add_image", "choose_image"),
}


class InstructorLibrary(models.Model):
    """An instructor's own collection of documents and images in /cms/, and the group that opens it to them.

    Wagtail grants collection permissions to groups only, so each instructor has a group of their own.
    The collection outlives the role: files stay where admins find them, closed to the former instructor.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="library")
    collection = models.OneToOneField("wagtailcore.Collection", on_delete=models.CASCADE, related_name="+")
    group = models.OneToOneField("auth.Group", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("instructor library")
        verbose_name_plural = _("instructor libraries")

    def __str__(self):
        return str(self.collection)
