"""Demo accounts (and, as the platform grows, demo content). Safe to run again and again."""

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand
from django.db import transaction

from lms_site import services
from lms_site.models import InstructorRequest, Role, User

DEMO_PASSWORD = "LearnDemo2026"  # noqa: S105 - published demo credential, local use only
DEMO_ACCOUNTS = [
    ("admin@example.com", "Ada", "Admin", Role.ADMIN),
    ("instructor@example.com", "Ivan", "Instructor", Role.INSTRUCTOR),
    ("student@example.com", "Sara", "Student", Role.STUDENT),
    ("student2@example.com", "Sam", "Student", Role.STUDENT),
]


class Command(BaseCommand):
    help = "Create the demo accounts (all verified) and their instructor requests. Idempotent."

    def handle(self, *args, **options):
        with transaction.atomic():
            self._accounts()
            self._instructor_requests()
        # After the commit, so the list comes after any mail the seeding sent.
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password for all: {DEMO_PASSWORD}):"))
        for email, _first, _last, role in DEMO_ACCOUNTS:
            self.stdout.write(f"  {role.label:<11} {email}")

    def _accounts(self):
        for email, first_name, last_name, role in DEMO_ACCOUNTS:
            user = User.objects.with_email(email).first()
            if user is None:
                user = User.objects.create_user(
                    email, DEMO_PASSWORD, first_name=first_name, last_name=last_name
                )
                self.stdout.write(f"  created {email}")
            services.user_change_role(user=user, role=role, changed_by=None, reason="demo data")
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )

    def _instructor_requests(self):
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
            self.stdout.write("  rejected instructor request by student@example.com")
        if not InstructorRequest.objects.filter(applicant=pending_applicant).exists():
            services.instructor_request_submit(
                applicant=pending_applicant,
                motivation="Ten years of teaching photography; links to my workshops below.",
                links=["https://example.com/workshops"],
            )
            self.stdout.write("  pending instructor request by student2@example.com")
