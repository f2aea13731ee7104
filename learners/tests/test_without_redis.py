"""Redis down, the database fine: the site keeps serving (docs/security.md, AVAIL-1 to AVAIL-3).

Cache and broker are configured exactly as production settings make them from REDIS_URL (read in a
subprocess, as a container reads them), pointed at a port where nothing listens. Every request is a
real one through the whole stack; the on-commit hand-off of tasks runs as a commit would run it.
"""

import json
import subprocess
import sys

import pytest
from django.urls import reverse

from lms_site.tests.factories import PASSWORD
from lms_site.tests.redis_and_celery import publishing_to, unreachable_redis_url
from lms_site.tests.test_deploy import BASE_DIR, production_env  # noqa: F401 - the container's environment

from .. import services
from ..models import Certificate
from .factories import lessons_of, published_course

pytestmark = pytest.mark.django_db

LOGIN_ATTEMPTS = 5  # allauth's default: 5 failed logins per account in 5 minutes
PRODUCTION_REDIS_SETTINGS = (
    "CACHES",
    "CELERY_BROKER_URL",
    "CELERY_BROKER_TRANSPORT_OPTIONS",
    "CELERY_TASK_PUBLISH_RETRY_POLICY",
)


@pytest.fixture(scope="module")
def production_redis_settings(production_env):  # noqa: F811 - the fixture imported above
    env = {**production_env, "REDIS_URL": unreachable_redis_url()}
    names = ", ".join(repr(name) for name in PRODUCTION_REDIS_SETTINGS)
    script = (
        "import json; from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in ({names})}}))"
    )
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def redis_down(settings, production_redis_settings):
    """Production's cache and broker, unreachable; tasks are published through an app reading them."""
    for name, value in production_redis_settings.items():
        setattr(settings, name, value)
    with publishing_to(settings.CELERY_BROKER_URL):
        yield


@pytest.fixture
def course(admin):
    return published_course(admin=admin)


@pytest.mark.usefixtures("redis_down")
def test_anonymous_pages_and_the_course_list_are_served(client, api_client, course):
    for path in ("/", "/courses/", course.url, course.url):  # the course page twice: nothing kept
        response = client.get(path)
        assert response.status_code == 200, path
        assert course.title in response.content.decode()

    response = api_client.get(reverse("api:course-list"))

    assert response.status_code == 200
    assert [item["id"] for item in response.json()["data"]["results"]] == [course.pk]


@pytest.mark.usefixtures("redis_down")
def test_signup_sends_its_mail_from_the_web_process(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "first_name": "Nia",
                "email": "newcomer@example.com",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )

    assert response.status_code == 302
    assert [message.to for message in mailoutbox] == [["newcomer@example.com"]]


@pytest.mark.usefixtures("redis_down")
def test_failed_logins_still_lock_the_account(client, student):
    login = reverse("account_login")
    for _ in range(LOGIN_ATTEMPTS):
        client.post(login, {"login": student.email, "password": "Wr0ngPassword"})

    response = client.post(login, {"login": student.email, "password": PASSWORD})

    assert response.status_code == 200  # the form again, not the redirect of a login
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.usefixtures("redis_down")
def test_completing_a_course_renders_the_certificate_pdf(
    client, student, course, django_capture_on_commit_callbacks
):
    services.enrollment_create(student=student, course=course)
    client.force_login(student)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("learners:complete", args=[lessons_of(course)[0].pk]))

    assert response.status_code == 302
    certificate = Certificate.objects.get(enrollment__student=student)
    assert certificate.pdf
    assert certificate.pdf.read().startswith(b"%PDF")


@pytest.mark.usefixtures("redis_down")
def test_readiness_reports_cache_and_broker_down(client):
    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "unavailable", "broker": "unavailable"}
