"""Demo people: an account per role, all verified, and instructor requests both open and decided."""

from allauth.account.models import EmailAddress

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


def seed(stdout) -> None:
    _accounts(stdout)
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


def _instructor_requests(stdout):
    """One rejected request (student) and one awaiting review (student2)."""
    admin = User.objects.with_email("admin@example.com").get()
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
