"""The certificate PDF as deployed: completion enqueues the task on Redis and a real worker renders it.

The worker is another process, so the test commits its data (a transactional test on PostgreSQL)
and both sides store files in one folder instead of the test settings' in-memory storage.
"""

import time
from urllib.parse import quote

import pytest
from celery import current_app
from django.db import connection
from kombu import pools
from kombu.utils.collections import eqhash
from pypdf import PdfReader

# The worker, its queue and Redis, as lms_site starts them for its mail test.
from lms_site.tests.test_celery_worker import mail_dir, queue, redis_url, worker  # noqa: F401

from .. import services
from ..models import Certificate
from .factories import lessons_of, published_course

PDF_TIMEOUT_SECONDS = 120  # a deadline, generous for a busy machine; the test waits for the file


def database_url() -> str:
    """The test database, spelled as the worker's settings read it from DATABASE_URL."""
    db = connection.settings_dict
    credentials = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{credentials}@{db['HOST']}{port}/{quote(db['NAME'])}"


@pytest.fixture
def certificate_worker(request, monkeypatch, settings, tmp_path):
    """The shared worker fixture, started on this test's database and a media folder both sides use."""
    media = tmp_path / "media"
    monkeypatch.setenv("DATABASE_URL", database_url())
    monkeypatch.setenv("MEDIA_ROOT", str(media))
    monkeypatch.delenv("AWS_STORAGE_BUCKET_NAME", raising=False)
    settings.MEDIA_ROOT = media
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": media}},
    }
    # Asked for here, after the environment is set, because the worker copies os.environ at start.
    started = request.getfixturevalue("worker")
    forget_broker_pools(current_app.connection_for_write())
    return started


def forget_broker_pools(connection) -> None:
    """Let this test open its own connections to the broker.

    kombu shares broker pools per URL across the process, and the `queue` fixture closes them when
    its test ends; they stay registered, so a second worker test would get "Acquire on closed pool".
    """
    for group in (pools.connections, pools.producers):
        group.pop(eqhash(connection), None)


@pytest.mark.celery_worker
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="a worker process cannot open SQLite's in-memory test database; use PostgreSQL (DATABASE_URL)",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("migrated_rows_restored")
def test_worker_renders_the_certificate_pdf_of_a_completed_course(certificate_worker, admin, student):
    process, log = certificate_worker
    course = published_course(admin=admin)
    services.enrollment_create(student=student, course=course)

    services.lesson_complete(student=student, lesson=lessons_of(course)[0])  # commits, then enqueues

    certificate = Certificate.objects.get(enrollment__student=student)
    deadline = time.monotonic() + PDF_TIMEOUT_SECONDS
    while not certificate.pdf:
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"no certificate PDF rendered; worker output:\n{log.read_text()}")
        time.sleep(0.1)
        certificate.refresh_from_db()
    with certificate.pdf.open("rb") as pdf:
        text = PdfReader(pdf).pages[0].extract_text()
    assert student.get_full_name() in text
    assert course.title in text
    assert certificate.code in text
