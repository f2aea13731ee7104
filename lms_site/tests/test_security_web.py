"""The web surface: CSRF on site forms, CORS, security headers, rate limits, the API inventory and
user-supplied names in certificates (docs/security.md, API2, API4, API8, API9, API10)."""

import io
import re
import uuid

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from drf_spectacular.generators import EndpointEnumerator, SchemaGenerator
from pypdf import PdfReader
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from learners import services as learning
from learners.certificates import render_pdf
from learners.models import Enrollment, LessonProgress, Review
from learners.tests.factories import lessons_of, published_course
from lms_site.api import auth_schema
from lms_site.models import InstructorRequest

from . import headless
from .factories import PASSWORD, StudentFactory
from .redis_and_celery import failover_cache
from .test_celery_worker import redis_url  # noqa: F401 - the test Redis, or a skip (a failure on CI)

pytestmark = pytest.mark.django_db

WRONG_PASSWORD = "Wr0ngPassword"
LOGIN_PAGE = reverse("account_login")
RESET_PAGE = reverse("account_reset_password")


# CSRF on the site's forms (ASVS V4.2.2). The session cookie alone must not be enough to post.


@pytest.fixture
def course(admin):
    return published_course(admin=admin)


@pytest.fixture
def csrf_client(student):
    """A signed-in browser whose requests are CSRF-checked, as in production."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(student)
    return client


def learning_state(student) -> tuple:
    return (
        list(Enrollment.objects.filter(student=student).values_list("course_id", flat=True)),
        list(LessonProgress.objects.filter(enrollment__student=student).values_list("status", flat=True)),
        list(Review.objects.filter(student=student).values_list("rating", flat=True)),
    )


def account_state(student) -> tuple:
    student.refresh_from_db()
    return student.first_name, list(InstructorRequest.objects.filter(applicant=student))


SITE_FORMS = {
    "enrol": (lambda course: reverse("learners:enrol", args=[course.pk]), {}),
    "complete": (lambda course: reverse("learners:complete", args=[lessons_of(course)[0].pk]), {}),
    "review": (
        lambda course: reverse("learners:review", args=[course.pk]),
        {"rating": "1", "comment": "Bad"},
    ),
    "profile": (lambda course: reverse("lms_site:profile"), {"first_name": "Mallory", "last_name": "X"}),
    "become-instructor": (lambda course: reverse("lms_site:become_instructor"), {"motivation": "Let me."}),
}


@pytest.mark.parametrize("form", SITE_FORMS)
def test_site_form_posted_without_csrf_token_is_refused(csrf_client, student, course, form):
    """A cross-site page posting with the student's cookie gets 403 and changes nothing."""
    if form in ("complete", "review"):
        learning.enrollment_create(student=student, course=course)
    url, data = SITE_FORMS[form]
    before = learning_state(student), account_state(student)

    response = csrf_client.post(url(course), data)

    assert response.status_code == 403
    assert (learning_state(student), account_state(student)) == before


def test_site_form_posted_with_its_csrf_token_is_accepted(csrf_client, student, course):
    """The control: the same post with the page's token goes through, so the refusals are CSRF's."""
    csrf_client.get(course.url)

    response = csrf_client.post(
        reverse("learners:enrol", args=[course.pk]),
        {"csrfmiddlewaretoken": csrf_client.cookies["csrftoken"].value},
    )

    assert response.status_code == 302
    assert learning_state(student)[0] == [course.pk]


def test_logout_posted_without_csrf_token_keeps_the_session(csrf_client):
    """Logging someone out from another site is refused too."""
    response = csrf_client.post(reverse("account_logout"))

    assert response.status_code == 403
    assert csrf_client.get(reverse("lms_site:profile")).status_code == 200


# CORS (ASVS V14.5.3): only configured front ends, only /api/ and /_allauth/, never with cookies.

FRONT_END = "https://app.example.com"


@pytest.fixture
def cors(settings):
    settings.CORS_ALLOWED_ORIGINS = [FRONT_END]


def preflight(path: str, origin: str):
    return Client().options(
        path,
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )


def test_cors_preflight_from_an_allowed_origin_is_answered(cors):
    response = preflight(headless.LOGIN, FRONT_END)

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == FRONT_END
    assert "authorization" in response["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Credentials" not in response  # bearer tokens, never cookies


def test_cors_preflight_from_another_origin_gets_no_allowance(cors):
    response = preflight(reverse("api:course-list"), "https://evil.example.com")

    assert "Access-Control-Allow-Origin" not in response


def test_cors_does_not_open_the_site_pages_even_to_an_allowed_origin(cors):
    response = preflight(LOGIN_PAGE, FRONT_END)

    assert "Access-Control-Allow-Origin" not in response


def test_cors_allows_no_origin_unless_configured(settings):
    """With CORS_ALLOWED_ORIGINS empty (the default) no other site may call the API from a browser."""
    settings.CORS_ALLOWED_ORIGINS = []

    assert "Access-Control-Allow-Origin" not in preflight(reverse("api:course-list"), FRONT_END)


# Security headers (ASVS V14.4) on a page and on an API response, and the session cookie (V3.4).

SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


@pytest.mark.parametrize("path", ["/", "/api/v1/courses/"], ids=["page", "api"])
def test_responses_carry_the_security_headers(client, path):
    response = client.get(path)

    assert response.status_code == 200
    assert {name: response.get(name) for name in SECURITY_HEADERS} == SECURITY_HEADERS


def test_session_cookie_is_http_only_and_same_site(client, student):
    """Script on a page cannot read the session, and other sites' forms do not carry it (V3.4.2, V3.4.3)."""
    response = client.post(LOGIN_PAGE, {"login": student.email, "password": PASSWORD})

    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert (cookie["httponly"], cookie["samesite"]) == (True, "Lax")


# Rate limits (API4, ASVS V2.2.1): allauth's, in the test cache (locmem, cleared around each test).

LOGIN_ATTEMPTS = 5  # allauth's default: 5 failed logins per account in 5 minutes
RESETS_PER_EMAIL = 5  # allauth's default: 5 reset requests per address per minute


def test_api_login_is_locked_after_repeated_failures_even_with_the_right_password(student):
    for _ in range(LOGIN_ATTEMPTS):
        assert headless.login(APIClient(), email=student.email, password=WRONG_PASSWORD).status_code == 400

    response = headless.login(APIClient(), email=student.email)

    assert response.status_code == 400
    assert [error["code"] for error in response.json()["errors"]] == ["too_many_login_attempts"]
    assert "meta" not in response.json()


def test_site_login_is_locked_after_repeated_failures_even_with_the_right_password(client, student):
    for _ in range(LOGIN_ATTEMPTS):
        client.post(LOGIN_PAGE, {"login": student.email, "password": WRONG_PASSWORD})

    response = client.post(LOGIN_PAGE, {"login": student.email, "password": PASSWORD})

    assert response.status_code == 200  # the form again, not the redirect of a login
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_lock_is_per_account(student):
    """The lock does not spill over: someone else still logs in (no lockout of everyone by one attacker)."""
    for _ in range(LOGIN_ATTEMPTS):
        headless.login(APIClient(), email=student.email, password=WRONG_PASSWORD)

    assert headless.login(APIClient(), email=StudentFactory().email).status_code == 200


def test_api_password_reset_requests_for_one_address_are_rate_limited(student, mailoutbox):
    for _ in range(RESETS_PER_EMAIL):
        headless.post(APIClient(), headless.PASSWORD_REQUEST, {"email": student.email})

    response = headless.post(APIClient(), headless.PASSWORD_REQUEST, {"email": student.email})

    assert response.status_code == 429
    assert len(mailoutbox) == RESETS_PER_EMAIL


def test_site_password_reset_requests_for_one_address_are_rate_limited(
    client, student, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(RESETS_PER_EMAIL):
            client.post(RESET_PAGE, {"email": student.email})

        response = client.post(RESET_PAGE, {"email": student.email})

    assert response.status_code == 429
    assert len(mailoutbox) == RESETS_PER_EMAIL


@pytest.fixture
def two_requests_a_minute(monkeypatch):
    """The API's throttles at a rate a test can exhaust (production reads API_THROTTLE_ANON/_USER)."""
    for throttle in (AnonRateThrottle, UserRateThrottle):
        monkeypatch.setattr(throttle, "rate", "2/min", raising=False)


def test_anonymous_api_callers_are_throttled(api_client, two_requests_a_minute):
    for _ in range(2):
        assert api_client.get("/api/v1/courses/").status_code == 200

    response = api_client.get("/api/v1/courses/")

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"


def test_signed_in_api_callers_are_throttled(student, two_requests_a_minute):
    client = APIClient()
    client.force_authenticate(user=student)
    for _ in range(2):
        assert client.get(reverse("api:me")).status_code == 200

    assert client.get(reverse("api:me")).status_code == 429


def test_api_throttles_count_in_redis_and_say_when_to_retry(
    api_client,
    two_requests_a_minute,
    settings,
    redis_url,  # noqa: F811
):
    cache = failover_cache(redis_url)["default"]
    settings.CACHES = {"default": {**cache, "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}}
    for _ in range(2):
        assert api_client.get("/api/v1/courses/").status_code == 200

    response = api_client.get("/api/v1/courses/")

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60


def test_production_keeps_api_throttles_on():
    assert settings.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] == [
        "lms_site.api.throttling.AnonRateThrottle",
        "lms_site.api.throttling.UserRateThrottle",
    ]


# API9: the inventory. The schema lists exactly the /api/v1/ routes, and its docs are served.


def route_shape(path: str) -> str:
    """A path with its parameters unnamed: the schema names a lookup `{id}` where the URLconf says `{pk}`."""
    return re.sub(r"\{[^}]+\}", "{}", path)


def test_schema_documents_every_api_route_and_nothing_else():
    """No undocumented (shadow) endpoint under /api/v1/, and none of Wagtail's internal API in the schema;
    allauth's sign-in operations are merged in."""
    routes = {route_shape(path) for path, *_ in EndpointEnumerator().get_api_endpoints()}
    documented = set(SchemaGenerator().get_schema(request=None, public=True)["paths"])
    sign_in = {auth_schema.CLIENT + path for _method, path, *_ in auth_schema.OPERATIONS}

    assert {route_shape(path) for path in documented - sign_in} == {
        path for path in routes if path.startswith("/api/v1/")
    }
    assert sign_in <= documented


@pytest.mark.parametrize("url", ["api-docs", "api-redoc"])
def test_api_documentation_is_served_from_the_site(client, url):
    response = client.get(reverse(url))

    assert response.status_code == 200
    assert "/static/drf_spectacular_sidecar/" in response.content.decode()


@pytest.mark.parametrize("method", ["OPTIONS", "POST", "PUT", "PATCH", "DELETE", "TRACE"])
@pytest.mark.parametrize("url", ["schema", "api-docs", "api-redoc"])
def test_api_documentation_answers_other_methods_with_405(client, url, method):
    """OPTIONS on the Swagger UI page answered 500: DRF rendered its metadata with a template it lacks."""
    assert client.generic(method, reverse(url)).status_code == 405


# API10 / ASVS V5.3.3: names people type end up in pages and PDFs; they are text, never markup.

HOSTILE_FIRST, HOSTILE_LAST = '<script>alert("x")</script>', "O'Brien & <b>Zoë</b> Ωμέγα"


@pytest.fixture
def certificate(admin):
    student = StudentFactory(first_name=HOSTILE_FIRST, last_name=HOSTILE_LAST)
    course = published_course(admin=admin, title="<img src=x onerror=alert(1)>")
    learning.enrollment_create(student=student, course=course)
    learning.lesson_complete(student=student, lesson=lessons_of(course)[0])
    return Enrollment.objects.get(student=student).certificate


def test_certificate_page_shows_a_hostile_name_as_text(client, certificate):
    page = client.get(reverse("learners:certificate_verify", args=[certificate.code])).content.decode()

    assert "<script>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "<img src=x" not in page
    assert "O&#x27;Brien &amp; &lt;b&gt;Zoë&lt;/b&gt; Ωμέγα" in page


def test_certificate_pdf_prints_a_hostile_name_literally(certificate):
    text = PdfReader(io.BytesIO(render_pdf(certificate))).pages[0].extract_text()

    assert f"{HOSTILE_FIRST} {HOSTILE_LAST}" in " ".join(text.split())  # the name may wrap
