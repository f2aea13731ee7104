"""Demo data of every app, in the order of settings.DEMO_SEEDERS. Safe to run again and again."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

from lms_site.demo import DEMO_ACCOUNTS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Create the demo accounts (all verified) and each app's demo content. Idempotent."

    def handle(self, *args, **options):
        with transaction.atomic():
            for path in settings.DEMO_SEEDERS:
                import_string(path)(self.stdout)
        # After the commit, so the list comes after any mail the seeding sent.
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password for all: {DEMO_PASSWORD}):"))
        for email, _first, _last, role in DEMO_ACCOUNTS:
            self.stdout.write(f"  {role.label:<11} {email}")
