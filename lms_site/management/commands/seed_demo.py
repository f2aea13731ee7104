"""Demo accounts (and, as the platform grows, demo content). Safe to run again and again."""

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand
from django.db import transaction

from lms_site import services
from lms_site.models import Role, User

DEMO_PASSWORD = "LearnDemo2026"  # noqa: S105 - published demo credential, local use only
DEMO_ACCOUNTS = [
    ("admin@example.com", "Ada", "Admin", Role.ADMIN),
    ("instructor@example.com", "Ivan", "Instructor", Role.INSTRUCTOR),
    ("student@example.com", "Sara", "Student", Role.STUDENT),
    ("student2@example.com", "Sam", "Student", Role.STUDENT),
]


class Command(BaseCommand):
    help = "Create the demo accounts (all verified). Idempotent."

    @transaction.atomic
    def handle(self, *args, **options):
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

        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password for all: {DEMO_PASSWORD}):"))
        for email, _first, _last, role in DEMO_ACCOUNTS:
            self.stdout.write(f"  {role.label:<11} {email}")
