"""Bad input is a 4xx on every surface, never a 500 (docs/security.md, API8).

PostgreSQL refuses a NUL character and psycopg2 raises for a query holding one, so lms_site.middleware
refuses a NUL in the path, the query string, a header or a cookie before anything looks it up; form
fields and JSON strings are refused by Django's and DRF's own validators. JSON nested past a
parser's recursion is refused too, and a body over DATA_UPLOAD_MAX_MEMORY_SIZE is a 413. Under /api/
each refusal is the envelope with its code; elsewhere an HTML error page.
"""

import io
import json

import pytest
from django.contrib.admin import site as admin_site
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from import_export.admin import ImportMixin
from PIL import Image
from rest_framework.test import APIClient

from lms_site.models import User

from . import headless
from .admin_client import CSV

pytestmark = pytest.mark.django_db

ME = reverse("api:me")
LOGIN = headless.LOGIN
DEEP = "[" * 100_000 + "]" * 100_000
BODY_LIMIT = 1_000  # DATA_UPLOAD_MAX_MEMORY_SIZE in these tests, so a body over it stays small


def assert_envelope(response, *, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert (body["success"], body["data"], body["error"]["code"]) == (False, None, code)


def assert_error_page(response, *, status: int, heading: str) -> None:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("text/html")
    assert heading in response.content.decode()


@pytest.fixture
def small_bodies(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = BODY_LIMIT


def client_for(user=None) -> APIClient:
    client = APIClient(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    return client


# A NUL where something would look it up.

API_URLS_WITH_NUL = [
    "/api/v1/courses/?search=%00",
    "/api/v1/courses/?category=%00",
    "/api/v1/courses/?ordering=title%00",
    "/api/v1/certificates/%00/",
    "/api/v1/categories/%00/",
]
SITE_URLS_WITH_NUL = ["/courses/?q=%00", "/courses/%00/", "/certificates/%00/", "/%00/"]
STAFF_URLS_WITH_NUL = [
    "/admin/lms_site/user/?q=%00",
    "/admin/lms_site/user/?role=%00",
    "/admin/learners/review/?q=%00",
    "/cms/pages/search/?q=%00",
    "/cms/pages/%00/",
]


@pytest.mark.parametrize("url", API_URLS_WITH_NUL)
def test_nul_in_an_api_url_is_400_envelope(url):
    assert_envelope(client_for().get(url), status=400, code="validation_error")


@pytest.mark.parametrize("url", SITE_URLS_WITH_NUL)
def test_nul_in_a_site_url_is_400_page(url):
    assert_error_page(client_for().get(url), status=400, heading="Bad request")


@pytest.mark.parametrize("url", STAFF_URLS_WITH_NUL)
def test_nul_in_an_admin_or_cms_url_is_400_page(admin, url):
    assert_error_page(client_for(admin).get(url), status=400, heading="Bad request")


@pytest.mark.parametrize(
    "cookie",
    ["sessionid=abcdefgh\x00ijk", 'sessionid="abcdefgh\\000ijk"'],  # an escape that parsing decodes
    ids=["raw", "escaped"],
)
def test_nul_in_the_session_cookie_is_400(cookie):
    response = client_for().get("/", HTTP_COOKIE=cookie)

    assert_error_page(response, status=400, heading="Bad request")


@pytest.mark.parametrize(
    ("url", "header"),
    [("/api/v1/me/", "Authorization"), ("/_allauth/app/v1/auth/session", "X-Session-Token")],
)
def test_nul_in_a_header_is_400(url, header):
    response = client_for().get(url, headers={header: "Bearer a\x00b"})

    assert response.status_code == 400


def test_nul_in_a_json_string_is_refused_by_the_fields_validator(student):
    response = client_for(student).patch(ME, {"first_name": "Ada\x00"}, format="json")

    assert_envelope(response, status=400, code="validation_error")
    assert list(response.json()["error"]["details"]) == ["first_name"]


def test_nul_in_a_form_field_is_refused_by_the_fields_validator(student):
    client = Client()
    client.force_login(student)

    response = client.post(reverse("lms_site:profile"), {"first_name": "Ada\x00"})

    assert response.status_code == 200  # the form again, with its error
    assert "Null characters are not allowed." in response.content.decode()


def test_nul_in_an_allauth_field_is_refused_by_its_validator():
    response = client_for().post(LOGIN, {"email": "ada\x00@example.com", "password": "x"}, format="json")

    assert response.status_code == 400


def test_nul_in_an_uploaded_file_name_is_dropped(student):
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2)).save(buffer, format="PNG")
    avatar = SimpleUploadedFile("me\x00.png", buffer.getvalue(), content_type="image/png")

    response = client_for(student).put(reverse("api:me-avatar"), {"avatar": avatar}, format="multipart")

    assert response.status_code == 200
    student.refresh_from_db()
    assert "\x00" not in student.avatar.name


def import_headers(model_admin) -> list[str]:
    resource = model_admin.get_import_resource_classes(None)[0]
    return list(getattr(resource, "columns", ())) or resource().get_export_headers()


IMPORTS = {
    f"{model._meta.app_label}_{model._meta.model_name}": model_admin
    for model, model_admin in admin_site._registry.items()
    if isinstance(model_admin, ImportMixin) and all(model_admin.get_import_resource_classes(None))
}


@pytest.mark.parametrize("name", IMPORTS)
def test_spreadsheet_with_a_nul_is_refused_by_every_import(admin, name):
    headers = import_headers(IMPORTS[name])
    content = ",".join(headers) + "\n" + ",".join(f"{header}\x00" for header in headers) + "\n"
    upload = SimpleUploadedFile(f"{name}.csv", content.encode())
    users = User.objects.count()

    response = client_for(admin).post(
        reverse(f"admin:{name}_import"), {"format": CSV, "import_file": upload}, format="multipart"
    )

    assert response.status_code == 200
    assert "The file holds a null character" in response.content.decode()
    assert User.objects.count() == users


# JSON nested past what a parser follows.


def test_deeply_nested_json_is_400_envelope_under_the_api(student):
    response = client_for(student).patch(ME, data=DEEP, content_type="application/json")

    assert_envelope(response, status=400, code="validation_error")


@pytest.mark.parametrize("content_type", ["application/json", "text/plain"])
def test_deeply_nested_json_is_400_for_allauth(content_type):
    """allauth's headless views parse any body as JSON, whatever its content type says."""
    response = client_for().post(LOGIN, data=DEEP, content_type=content_type)

    assert response.status_code == 400


def test_json_nested_a_few_levels_is_read_as_usual(student):
    response = client_for(student).patch(
        ME, data=json.dumps({"first_name": "Ada", "bio": "x"}), content_type="application/json"
    )

    assert response.status_code == 200


# A body over DATA_UPLOAD_MAX_MEMORY_SIZE.


def test_json_body_over_the_limit_is_413_envelope(small_bodies, student):
    response = client_for(student).patch(ME, {"bio": "x" * BODY_LIMIT}, format="json")

    assert_envelope(response, status=413, code="payload_too_large")


def test_form_fields_over_the_limit_in_a_multipart_api_body_are_413_envelope(small_bodies, student):
    avatar_url = reverse("api:me-avatar")  # the one multipart endpoint

    response = client_for(student).put(avatar_url, {"bio": "x" * BODY_LIMIT}, format="multipart")

    assert_envelope(response, status=413, code="payload_too_large")


def test_body_over_the_limit_is_413_page_on_the_site(small_bodies, student):
    client = Client(raise_request_exception=False)
    client.force_login(student)

    response = client.post(reverse("lms_site:profile"), {"bio": "x" * BODY_LIMIT})

    assert_error_page(response, status=413, heading="Too much data")


def test_body_over_the_limit_is_413_for_allauth(small_bodies):
    response = client_for().post(LOGIN, {"email": "x" * BODY_LIMIT, "password": "x"}, format="json")

    assert response.status_code == 413


# Content negotiation.


def test_wrong_content_type_is_415_unsupported_media_type(student):
    response = client_for(student).patch(
        ME, data="first_name=x", content_type="application/x-www-form-urlencoded"
    )

    assert_envelope(response, status=415, code="unsupported_media_type")


def test_unacceptable_accept_header_is_406_not_acceptable(student):
    response = client_for(student).get(ME, headers={"Accept": "text/csv"})

    assert_envelope(response, status=406, code="not_acceptable")
