"""The project as `make run` serves it, on a fresh SQLite file, for the concurrency test of SQLite.

    python -m learners.tests.sqlite_server <port> <people.json>

with DATABASE_URL naming the file: migrates, adds a published course and signed-in students, writes
their ids and session keys to people.json, then serves with runserver (a thread per request).
"""

import json
import os
import sys
from pathlib import Path

import django

STUDENTS = 8
LESSONS = 4


def main(port: str, people: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from lms_site.tests.factories import AdminFactory, StudentFactory

    from .factories import lessons_of, published_course

    call_command("migrate", verbosity=0)
    course = published_course(admin=AdminFactory(), lessons_per_section=LESSONS)
    sessions = []
    for student in StudentFactory.create_batch(STUDENTS):
        client = Client()
        client.force_login(student)
        sessions.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    lessons = [lesson.pk for lesson in lessons_of(course)]
    people.write_text(json.dumps({"course": course.pk, "lessons": lessons, "sessions": sessions}))
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, skip_checks=True)


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
