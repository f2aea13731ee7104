"""Instances agree: two web processes and two Celery workers on one PostgreSQL and one Redis.

As behind a load balancer, a person's requests land on either web process: what one process does
(log out, publish, count a request against a rate limit, sign in) holds on the other, and a task
is done once with both workers listening. The processes run as deployed (gunicorn, `celery worker`
on the routed queues) against this test's database, so the tests commit their data.
"""

import os
import re
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
import redis
import requests

from catalog.models import CourseStatus
from catalog.tests.factories import course_in
from learners.models import Certificate
from learners.tests.conftest import migrated_rows_restored  # noqa: F401 - the committed tests' clean-up
from learners.tests.factories import lessons_of, published_course
from learners.tests.marks import committed_on_postgresql
from learners.tests.test_certificate_worker import database_url

from .factories import PASSWORD, totp_code
from .pgbouncer import free_port
from .test_celery_worker import running_worker
from .unavailable import unavailable

pytestmark = committed_on_postgresql(
    why="web processes and workers share the test's database; use PostgreSQL (DATABASE_URL)"
)

BASE_DIR = Path(__file__).resolve().parents[2]
# Deadlines for states that a loaded machine reaches slowly; nothing waits for them when all is well.
START_DEADLINE_SECONDS = 120
TASK_DEADLINE_SECONDS = 120
REQUEST_TIMEOUT_SECONDS = 30
ANON_RATE = 4  # per minute, small enough to reach with a few requests
QUEUES = "celery,mail,certificates"


def wait_for(condition, *, seconds: float, waiting_for: str, logs: list[Path]) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            output = "\n".join(f"--- {log.name}\n{log.read_text()}" for log in logs)
            pytest.fail(f"waited {seconds} s for {waiting_for}; output:\n{output}")
        time.sleep(0.2)


@contextmanager
def running_web(log: Path, *, env: dict):
    """A gunicorn process as the image runs it, on a free local port; yields its base URL."""
    port = free_port()
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "1", "GUNICORN_THREADS": "2"}
    command = [str(Path(sys.executable).parent / "gunicorn"), "--config", "config/gunicorn.py", "config.wsgi"]
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        yield process, f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


def answers(base: str) -> bool:
    try:
        return requests.get(f"{base}/healthz", timeout=REQUEST_TIMEOUT_SECONDS).status_code == 200
    except requests.RequestException:  # not listening yet, or still booting its worker
        return False


def shared_redis_url() -> str:
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        unavailable(f"Redis at {url} is unreachable ({exc}); set TEST_REDIS_URL to a running Redis")
    return url


@pytest.fixture(scope="module")
def platform(django_db_setup, tmp_path_factory):
    """Two web processes and two workers, started together for the module; yields (web A, web B, logs)."""
    url = shared_redis_url()
    folder = tmp_path_factory.mktemp("instances")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": database_url(),
        "REDIS_URL": url,
        "CELERY_BROKER_URL": url,
        "MEDIA_ROOT": str(folder / "media"),
        "EMAIL_URL": f"filemail:///{folder / 'mail'}",  # environ drops one leading slash
        "API_THROTTLE_ANON": f"{ANON_RATE}/min",
    }
    env.pop("AWS_STORAGE_BUCKET_NAME", None)
    empty_the_queues(url)
    logs = [folder / name for name in ("web-a.log", "web-b.log", "worker-a.log", "worker-b.log")]
    with ExitStack() as stack:
        web_a, base_a = stack.enter_context(running_web(logs[0], env=env))
        web_b, base_b = stack.enter_context(running_web(logs[1], env=env))
        workers = [stack.enter_context(running_worker(QUEUES, log, env=env)) for log in logs[2:]]
        for process, base in ((web_a, base_a), (web_b, base_b)):
            wait_for(
                lambda process=process, base=base: process.poll() is not None or answers(base),
                seconds=START_DEADLINE_SECONDS,
                waiting_for="the web processes",
                logs=logs,
            )
            assert process.poll() is None, logs
        for worker, log in zip(workers, logs[2:], strict=True):
            wait_for(
                lambda worker=worker, log=log: worker.poll() is not None or " ready." in log.read_text(),
                seconds=START_DEADLINE_SECONDS,
                waiting_for="the workers",
                logs=logs,
            )
            assert worker.poll() is None, log.read_text()
        yield base_a, base_b, logs


def empty_the_queues(url: str) -> None:
    """Messages that earlier tests left on the shared broker (ready, or held by a worker that is gone
    and due back) are not this module's: its workers would take them and its counts would be off."""
    store = redis.Redis.from_url(url)
    for queue in QUEUES.split(","):
        for key in store.scan_iter(f"{queue}*"):  # the queue and its priority lists
            store.delete(key)
    store.delete("unacked", "unacked_index")


@pytest.fixture(autouse=True)
def fresh_shared_cache():
    """Page cache and rate-limit counters in Redis start empty for each test (earlier ones' are not its)."""
    store = redis.Redis.from_url(shared_redis_url())
    for key in store.scan_iter("lms:*"):  # the processes' keys: KEY_PREFIX of their (dev) settings
        store.delete(key)


@pytest.fixture(autouse=True)
def passwords_the_processes_check(settings):
    """The processes hash as deployed; the test settings' fast MD5 hashes would not match there."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]


def api_login(base: str, user) -> str:
    """An access token for `user`, signing in as an API client does (with the second factor if set up)."""
    response = requests.post(
        f"{base}/_allauth/app/v1/auth/login",
        json={"email": user.email, "password": PASSWORD},
        timeout=REQUEST_TIMEOUT_SECONDS,
    )
    if response.status_code == 401:  # pending: the authenticator app's code
        response = requests.post(
            f"{base}/_allauth/app/v1/auth/2fa/authenticate",
            json={"code": totp_code(user)},
            headers={"X-Session-Token": response.json()["meta"]["session_token"]},
            timeout=REQUEST_TIMEOUT_SECONDS,
        )
    assert response.status_code == 200, response.text
    return response.json()["meta"]["access_token"]


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_logging_out_on_one_process_ends_the_token_on_the_other(platform, student):
    base_a, base_b, _ = platform
    token = api_login(base_a, student)
    assert requests.get(f"{base_b}/api/v1/enrollments/", headers=bearer(token), timeout=30).status_code == 200

    requests.delete(f"{base_a}/_allauth/app/v1/auth/session", headers=bearer(token), timeout=30)

    assert requests.get(f"{base_b}/api/v1/enrollments/", headers=bearer(token), timeout=30).status_code == 401


def test_publishing_through_one_process_refreshes_the_page_the_other_serves(platform, admin):
    base_a, base_b, _ = platform
    course = course_in(CourseStatus.APPROVED, admin=admin, title="Distributed Systems Basics")
    before = [requests.get(f"{base_b}/courses/", timeout=30) for _ in range(2)]  # rendered, then cached
    assert all(page.status_code == 200 and course.title not in page.text for page in before)

    published = requests.post(
        f"{base_a}/api/v1/courses/{course.pk}/publish/",
        headers=bearer(api_login(base_a, admin)),
        timeout=30,
    )

    assert published.status_code == 200, published.text
    assert course.title in requests.get(f"{base_b}/courses/", timeout=30).text


def test_rate_limits_are_counted_across_processes(platform):
    base_a, base_b, _ = platform
    statuses = [
        requests.get(f"{base}/api/v1/courses/", timeout=30).status_code for base in [base_a, base_b] * 2
    ]
    assert statuses == [200] * ANON_RATE

    assert requests.get(f"{base_a}/api/v1/courses/", timeout=30).status_code == 429
    assert requests.get(f"{base_b}/api/v1/courses/", timeout=30).status_code == 429


def test_a_session_started_on_one_process_is_known_to_the_other(platform, student):
    base_a, base_b, _ = platform
    browser = requests.Session()  # cookies are not port-bound: both processes get them
    form = browser.get(f"{base_a}/accounts/login/", timeout=30)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    signed_in = browser.post(
        f"{base_a}/accounts/login/",
        data={"csrfmiddlewaretoken": csrf, "login": student.email, "password": PASSWORD},
        headers={"Referer": f"{base_a}/accounts/login/"},
        allow_redirects=False,
        timeout=30,
    )
    assert signed_in.status_code == 302, signed_in.text

    learning = browser.get(f"{base_b}/learning/", allow_redirects=False, timeout=30)

    assert learning.status_code == 200
    assert student.email in browser.get(f"{base_b}/accounts/email/", timeout=30).text


def test_a_certificate_is_rendered_once_with_two_workers_listening(platform, admin, student):
    base_a, base_b, logs = platform
    course = published_course(admin=admin)
    token = api_login(base_a, student)
    assert requests.post(f"{base_a}/api/v1/courses/{course.pk}/enroll/", headers=bearer(token), timeout=30).ok
    for lesson in lessons_of(course):
        completed = requests.post(
            f"{base_b}/api/v1/lessons/{lesson.pk}/complete/", headers=bearer(token), timeout=30
        )
        assert completed.status_code == 200, completed.text
    certificate = Certificate.objects.get(enrollment__student=student)

    def rendered() -> bool:
        certificate.refresh_from_db()
        return bool(certificate.pdf)

    wait_for(rendered, seconds=TASK_DEADLINE_SECONDS, waiting_for="the certificate", logs=logs)

    worker_logs = [log.read_text() for log in logs[2:]]
    received = [
        len(re.findall(r"Task learners\.tasks\.render_certificate\[[^]]+\] received", text))
        for text in worker_logs
    ]
    assert sorted(received) == [0, 1]
    media = logs[0].parent / "media"
    assert len(list((media / certificate.pdf.name).parent.iterdir())) == 1
