"""Celery as deployed: a real Redis broker and a real worker process. Other tests run tasks eager."""

import os
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from django.core.mail import EmailMultiAlternatives
from django.db import transaction

from config.celery import app
from lms_site.emails import enqueue_email

from .redis_and_celery import publishing_to

BASE_DIR = Path(__file__).resolve().parents[2]
MAIL_TIMEOUT_SECONDS = 120  # a deadline, generous for a busy machine; the test waits for the mail


def test_celery_acknowledges_tasks_only_after_running_them():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.worker_prefetch_multiplier == 1


def test_publishing_to_an_unreachable_broker_gives_up_after_one_reconnection():
    # Then lms_site.jobs runs the task in the web process instead of keeping the request waiting.
    assert app.conf.task_publish_retry_policy == {"max_retries": 1, "interval_start": 0}
    assert app.conf.broker_transport_options["socket_connect_timeout"] <= 2


def test_a_task_is_stopped_before_the_broker_would_hand_it_to_a_second_worker():
    visibility_timeout = app.conf.broker_transport_options["visibility_timeout"]

    assert app.conf.task_soft_time_limit < app.conf.task_time_limit < visibility_timeout
    assert visibility_timeout < 3600  # Kombu's default: an hour before a killed worker's tasks come back


def test_celery_accepts_and_sends_json_only():
    assert app.conf.task_serializer == "json"
    assert app.conf.result_serializer == "json"
    assert list(app.conf.accept_content) == ["json"]


@pytest.fixture
def redis_url():
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        reason = f"Redis at {url} is unreachable ({exc}); set TEST_REDIS_URL to a running Redis"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return url


@pytest.mark.django_db
def test_readyz_reports_a_reachable_broker(client, settings, redis_url):
    settings.CELERY_BROKER_URL = redis_url

    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == "ok"


@pytest.fixture
def queue(redis_url):
    """Tasks published by this test go to Redis, on a queue no other worker listens to.

    Routed tasks too (mail, certificates): without routes every task takes the default queue.
    """
    name = f"lms-test-{uuid.uuid4().hex}"
    with publishing_to(redis_url, task_default_queue=name, task_routes={}):
        yield name


@pytest.fixture
def mail_dir(tmp_path):
    return tmp_path / "mail"


@contextmanager
def running_worker(queue: str, log: Path, *, env: dict, args: tuple[str, ...] = ()):
    """A worker process on `queue`, started as the deployment starts it, stopped on leaving."""
    command = [
        *(sys.executable, "-m", "celery", "-A", "config", "worker", *args),
        *(
            "--pool=solo",
            "--concurrency=1",
            "--loglevel=INFO",
            f"--queues={queue}",
            f"--hostname={log.stem}@%h",
        ),
        # No peers to meet: skipping the handshakes saves about a second of start-up.
        *("--without-gossip", "--without-mingle", "--without-heartbeat"),
    ]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev", **env}
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def worker(redis_url, queue, mail_dir, tmp_path):
    """A worker delivering mail to files."""
    env = {
        "CELERY_BROKER_URL": redis_url,
        "REDIS_URL": redis_url,
        "EMAIL_URL": f"filemail:///{mail_dir}",  # environ drops one leading slash
    }
    log = tmp_path / "worker.log"
    with running_worker(queue, log, env=env) as process:
        yield process, log


def _delivered_mail(mail_dir: Path) -> str | None:
    """The one message in the folder, once the file backend has finished writing it."""
    files = list(mail_dir.glob("*.log"))
    if not files:
        return None
    (delivered,) = files
    content = delivered.read_text()
    return content if content.endswith("-" * 79 + "\n") else None


@pytest.mark.celery_worker
@pytest.mark.django_db
def test_worker_delivers_mail_enqueued_on_commit(worker, mail_dir, django_capture_on_commit_callbacks):
    process, log = worker
    message = EmailMultiAlternatives(
        "Your course was approved", "Plain body", "noreply@example.com", ["ada@example.com"]
    )
    message.attach_alternative("<p>HTML body</p>", "text/html")

    # The test's own transaction never commits; leaving this block runs what a commit would.
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        enqueue_email(message)

    deadline = time.monotonic() + MAIL_TIMEOUT_SECONDS
    while (content := _delivered_mail(mail_dir)) is None:
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"no mail delivered; worker output:\n{log.read_text()}")
        time.sleep(0.1)
    assert "Subject: Your course was approved" in content
    assert "To: ada@example.com" in content
    assert "Plain body" in content
    assert "<p>HTML body</p>" in content
