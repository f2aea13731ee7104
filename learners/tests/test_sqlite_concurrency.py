"""Simultaneous writes on the embedded default: SQLite under runserver, a thread per request
(docs/security.md, AVAIL-5). The PostgreSQL races are in test_concurrency.py.

A real server in another process, on a SQLite file of its own, as `make run` serves; the students'
requests leave together from threads. Every one must succeed and the counts must be exact.
"""

import json
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
import requests

from lms_site.tests.redis_and_celery import closed_port
from lms_site.tests.test_deploy import BASE_DIR

from .sqlite_server import LESSONS, STUDENTS

START_TIMEOUT_SECONDS = 240  # migrating a fresh database is most of it
REQUEST_TIMEOUT_SECONDS = 60
# Any value works for both halves of the CSRF check (cookie and header) as long as they agree.
CSRF_TOKEN = "concurrencytestcsrftoken00000000"


@dataclass
class Site:
    url: str
    course: int
    lessons: list[int]
    sessions: list[str]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sqlite-site")
    port, people, log = closed_port(), folder / "people.json", folder / "server.log"
    env = {
        **{
            name: value
            for name, value in os.environ.items()
            if name not in ("REDIS_URL", "CELERY_BROKER_URL")
        },
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "MEDIA_ROOT": str(folder / "media"),
        "EMAIL_URL": "dummymail://",
    }
    command = [sys.executable, "-m", "learners.tests.sqlite_server", str(port), str(people)]
    with log.open("w") as out:
        server = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not (people.exists() and _answers(port)):
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the SQLite server did not start:\n{log.read_text()}")
            time.sleep(0.2)
        yield Site(url=f"http://127.0.0.1:{port}", **json.loads(people.read_text()))
    finally:
        server.terminate()
        server.wait(timeout=30)


def _answers(port: int) -> bool:
    try:
        requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
    except requests.ConnectionError:
        return False
    return True


def call(site: Site, method: str, path: str, session: str) -> requests.Response:
    return requests.request(
        method,
        site.url + path,
        cookies={"sessionid": session, "csrftoken": CSRF_TOKEN},
        headers={"X-CSRFToken": CSRF_TOKEN},
        timeout=REQUEST_TIMEOUT_SECONDS,
    )


def post_together(site: Site, posts: list[tuple[str, str]]) -> list[requests.Response]:
    """POST each (path, session) from its own thread, all released at once."""
    barrier = threading.Barrier(len(posts))

    def post(path, session):
        barrier.wait(timeout=REQUEST_TIMEOUT_SECONDS)
        return call(site, "POST", path, session)

    with ThreadPoolExecutor(max_workers=len(posts)) as pool:
        futures = [pool.submit(post, path, session) for path, session in posts]
        return [future.result() for future in futures]


def answers(responses: list[requests.Response]) -> list[tuple[int, str]]:
    """Status and body of each, so a failure shows what every request got."""
    return [(response.status_code, response.text) for response in responses]


def data(response: requests.Response):
    return response.json()["data"]


def test_simultaneous_enrolments_and_completions_all_succeed_with_exact_counts(site):
    enrol = f"/api/v1/courses/{site.course}/enroll/"
    enrolments = post_together(site, [(enrol, session) for session in site.sessions])

    assert {status for status, _body in answers(enrolments)} == {201}, answers(enrolments)
    course = data(call(site, "GET", f"/api/v1/courses/{site.course}/", site.sessions[0]))
    assert course["enrollment_count"] == STUDENTS

    complete_first = f"/api/v1/lessons/{site.lessons[0]}/complete/"
    completions = post_together(site, [(complete_first, session) for session in site.sessions])

    assert {status for status, _body in answers(completions)} == {200}, answers(completions)
    assert {data(response)["progress_percentage"] for response in completions} == {f"{100 / LESSONS:.2f}"}

    # One student finishes the rest at once: every request writes the same enrolment.
    finisher = site.sessions[0]
    finishing = post_together(
        site, [(f"/api/v1/lessons/{pk}/complete/", finisher) for pk in site.lessons[1:]]
    )

    assert {status for status, _body in answers(finishing)} == {200}, answers(finishing)
    [enrolment] = data(call(site, "GET", "/api/v1/enrollments/", finisher))["results"]
    assert enrolment["progress_percentage"] == "100.00"
    assert data(call(site, "GET", "/api/v1/certificates/", finisher))["count"] == 1
