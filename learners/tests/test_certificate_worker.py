"""The certificate PDF as deployed: completion enqueues the task on Redis and a real worker renders it.

The worker is another process, so the test commits its data (a transactional test on PostgreSQL)
and both sides store files in one folder instead of the test settings' in-memory storage.
"""

import signal
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from pypdf import PdfReader

# The worker, its queue and Redis, as lms_site starts them for its mail test.
from lms_site.tests.test_celery_worker import (  # noqa: F401
    mail_dir,
    queue,
    redis_url,
    running_worker,
    worker,
)

from .. import services
from ..models import Certificate
from .factories import lessons_of, published_course
from .marks import committed_on_postgresql

pytestmark = [
    pytest.mark.celery_worker,
    *committed_on_postgresql(
        why="a worker process cannot open SQLite's in-memory test database; use PostgreSQL (DATABASE_URL)"
    ),
]

PDF_TIMEOUT_SECONDS = 120  # a deadline, generous for a busy machine; the test waits for the file
# Short here so the test is; the deadline to see the task back stays generous for a loaded machine.
VISIBILITY_TIMEOUT_SECONDS = 5
REDELIVERY_TIMEOUT_SECONDS = 120


def database_url() -> str:
    """The test database, spelled as the worker's settings read it from DATABASE_URL."""
    db = connection.settings_dict
    credentials = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{credentials}@{db['HOST']}{port}/{quote(db['NAME'])}"


@pytest.fixture
def shared_with_workers(monkeypatch, settings, tmp_path):
    """This test's database, and one media folder for both sides; a worker copies os.environ at start."""
    media = tmp_path / "media"
    monkeypatch.setenv("DATABASE_URL", database_url())
    monkeypatch.setenv("MEDIA_ROOT", str(media))
    monkeypatch.delenv("AWS_STORAGE_BUCKET_NAME", raising=False)
    settings.MEDIA_ROOT = media
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": media}},
    }


@pytest.fixture
def certificate_worker(request, shared_with_workers):
    """The shared worker fixture, started on this test's database and media folder."""
    return request.getfixturevalue("worker")


def wait_until(condition, *, seconds: float, log: Path, waiting_for: str) -> None:
    """Poll for a state; fail with the worker's output if it is not reached in time."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {seconds} s for {waiting_for}; worker output:\n{log.read_text()}")
        time.sleep(0.1)


def pdf_rendered(certificate) -> bool:
    certificate.refresh_from_db()
    return bool(certificate.pdf)


def wait_for_the_pdf(certificate, process, log: Path, *, seconds: float) -> None:
    wait_until(
        lambda: process.poll() is not None or pdf_rendered(certificate),
        seconds=seconds,
        log=log,
        waiting_for="the PDF",
    )
    assert certificate.pdf, log.read_text()  # not a worker that stopped


def completed_course_certificate(*, admin, student) -> Certificate:
    course = published_course(admin=admin)
    services.enrollment_create(student=student, course=course)
    services.lesson_complete(student=student, lesson=lessons_of(course)[0])  # commits, then enqueues
    return Certificate.objects.get(enrollment__student=student)


def test_worker_renders_the_certificate_pdf_of_a_completed_course(certificate_worker, admin, student):
    process, log = certificate_worker

    certificate = completed_course_certificate(admin=admin, student=student)

    wait_for_the_pdf(certificate, process, log, seconds=PDF_TIMEOUT_SECONDS)
    with certificate.pdf.open("rb") as pdf:
        text = PdfReader(pdf).pages[0].extract_text()
    assert student.get_full_name() in text
    assert certificate.enrollment.course.title in text
    assert certificate.code in text


@pytest.mark.usefixtures("shared_with_workers")
def test_a_certificate_held_by_a_killed_worker_is_rendered_by_another(
    redis_url,  # noqa: F811
    queue,  # noqa: F811
    tmp_path,
    admin,
    student,
):
    env = {
        "CELERY_BROKER_URL": redis_url,
        "REDIS_URL": redis_url,
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT_SECONDS),
    }
    killed_log, second_log = tmp_path / "killed.log", tmp_path / "second.log"
    trap = "--include=learners.tests.killed_mid_render"
    with running_worker(queue, killed_log, env=env, args=(trap,)) as killed:
        certificate = completed_course_certificate(admin=admin, student=student)
        wait_until(
            lambda: killed.poll() is not None,
            seconds=PDF_TIMEOUT_SECONDS,
            log=killed_log,
            waiting_for="the kill",
        )
    assert killed.returncode == -signal.SIGKILL, killed_log.read_text()
    assert "learners.tasks.render_certificate" in killed_log.read_text()  # received, then died
    assert not pdf_rendered(certificate)

    with running_worker(queue, second_log, env=env) as second:
        wait_for_the_pdf(certificate, second, second_log, seconds=REDELIVERY_TIMEOUT_SECONDS)
