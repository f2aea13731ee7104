"""Demo data of every app, in the order of settings.DEMO_SEEDERS. Safe to run again and again."""

import logging
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

from lms_site.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_admin_sign_in
from lms_site.mail_backends import mail_counted


@contextmanager
def warnings_only():
    """The services narrate each page saved and task run at INFO: hundreds of lines for a demo."""
    before = logging.root.manager.disable
    logging.disable(logging.INFO)
    try:
        yield
    finally:
        logging.disable(before)


class Command(BaseCommand):
    help = (
        "Create the demo accounts (all verified) and each app's demo content. Idempotent. "
        "--scale N adds a large data set on top, for benchmarks (N=100: 10,000 courses, 100,000 students)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=0, help="Add the large data set, N units of it.")

    def handle(self, *args, scale=0, **options):
        if scale < 0:
            raise CommandError("--scale takes a number of units, 0 or more.")
        with warnings_only(), mail_counted() as mail, transaction.atomic():
            for path in settings.DEMO_SEEDERS:
                import_string(path)(self.stdout)
        if mail:
            self.stdout.write(f"{len(mail)} emails sent, kept in {settings.EMAIL_FILE_PATH}/")
        if scale:
            started = time.monotonic()
            self.stdout.write(f"Scale data, {scale} unit(s):")
            import_string(settings.SCALE_SEEDER)(scale=scale, stdout=self.stdout)
            self.stdout.write(f"  in {time.monotonic() - started:.0f} s")
        self.stdout.write(self.style.SUCCESS(f"Demo accounts (password for all: {DEMO_PASSWORD}):"))
        for email, _first, _last, role in DEMO_ACCOUNTS:
            self.stdout.write(f"  {role.label:<11} {email}")
        self.stdout.write(self.style.SUCCESS("Two-factor authentication, which admins must use:"))
        for line in demo_admin_sign_in():
            self.stdout.write(line)
