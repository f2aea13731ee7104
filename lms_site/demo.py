"""Demo people: an account per role, all verified, and instructor requests both open and decided."""

from allauth.account.models import EmailAddress
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP

from . import services
from .models import InstructorRequest, Role, User

DEMO_PASSWORD = "LearnDemo2026"  # noqa: S105 - published demo credential, local use only
DEMO_ACCOUNTS = [
    ("admin@example.com", "Ada", "Admin", Role.ADMIN),
    ("instructor@example.com", "Ivan", "Instructor", Role.INSTRUCTOR),
    ("instructor2@example.com", "Olga", "Okafor", Role.INSTRUCTOR),
    ("student@example.com", "Sara", "Student", Role.STUDENT),
    ("student2@example.com", "Sam", "Student", Role.STUDENT),
]
DEMO_ADMIN = "admin@example.com"
# Admins need an authenticator app (lms_site.mfa); the demo admin's secret is published like the password.
DEMO_ADMIN_TOTP_SECRET = "DEMOADMINTWOFACTORLEARNPLATFORM2"  # noqa: S105 - local use only


def seed(stdout) -> None:
    _accounts(stdout)
    _demo_admin_second_factor()
    _instructor_requests(stdout)


def _accounts(stdout):
    for email, first_name, last_name, role in DEMO_ACCOUNTS:
        user = User.objects.with_email(email).first()
        if user is None:
            user = User.objects.create_user(email, DEMO_PASSWORD, first_name=first_name, last_name=last_name)
            stdout.write(f"  created {email}")
        services.user_change_role(user=user, role=role, changed_by=None, reason="demo data")
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )


def _demo_admin_second_factor():
    """The demo admin's authenticator app, on the published secret, and a fresh set of recovery codes."""
    admin = User.objects.with_email(DEMO_ADMIN).get()
    if not Authenticator.objects.filter(user=admin, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(admin, DEMO_ADMIN_TOTP_SECRET)
    Authenticator.objects.filter(user=admin, type=Authenticator.Type.RECOVERY_CODES).delete()
    RecoveryCodes.activate(admin)


def demo_admin_sign_in() -> list[str]:
    """How the demo admin passes the second step of signing in: the app's secret, or a recovery code."""
    admin = User.objects.with_email(DEMO_ADMIN).get()
    codes = Authenticator.objects.get(user=admin, type=Authenticator.Type.RECOVERY_CODES).wrap()
    return [
        f"  {DEMO_ADMIN}: a code of an authenticator app holding the secret {DEMO_ADMIN_TOTP_SECRET}",
        f"    (scan or open {get_mfa_adapter().build_totp_url(admin, DEMO_ADMIN_TOTP_SECRET)}),",
        f"    or with one of these single-use recovery codes: {' '.join(codes.get_unused_codes())}",
    ]


def _instructor_requests(stdout):
    """One rejected request (student) and one awaiting review (student2)."""
    admin = User.objects.with_email(DEMO_ADMIN).get()
    rejected_applicant = User.objects.with_email("student@example.com").get()
    pending_applicant = User.objects.with_email("student2@example.com").get()
    if not InstructorRequest.objects.filter(applicant=rejected_applicant).exists():
        request = services.instructor_request_submit(
            applicant=rejected_applicant,
            motivation="I would like to teach a short course on spreadsheets.",
        )
        services.instructor_request_reject(
            instructor_request=request,
            reviewer=admin,
            reason="Please add an outline of the course and a sample lesson.",
        )
        stdout.write("  rejected instructor request by student@example.com")
    if not InstructorRequest.objects.filter(applicant=pending_applicant).exists():
        services.instructor_request_submit(
            applicant=pending_applicant,
            motivation="Ten years of teaching photography; links to my workshops below.",
            links=["https://example.com/workshops"],
        )
        stdout.write("  pending instructor request by student2@example.com")
