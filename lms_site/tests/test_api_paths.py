"""What the URLconf answers under /api/ before any view runs: the error envelope, never a page or a 500."""

import pytest
from django.test import Client

from lms_site.converters import MAX_INTEGER

pytestmark = pytest.mark.django_db


def assert_envelope(response, *, status: int, code: str) -> None:
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == code


@pytest.mark.parametrize("course_id", [MAX_INTEGER + 1, 10**30])
def test_an_id_beyond_the_databases_range_is_404_not_a_database_error(client, course_id):
    assert_envelope(client.get(f"/api/v1/courses/{course_id}/"), status=404, code="not_found")
    assert_envelope(client.get(f"/api/v1/courses/{course_id}/sections/1/"), status=404, code="not_found")


def test_the_largest_id_is_looked_up(client):
    assert_envelope(client.get(f"/api/v1/courses/{MAX_INTEGER}/"), status=404, code="not_found")


def test_a_post_no_api_view_answers_gets_the_envelope_not_the_csrf_page():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/api/v1/courses/-1/enroll/")

    assert_envelope(response, status=404, code="not_found")


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("method", ["get", "post", "patch", "delete"])
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/no-such-thing/",
        "/api/v1/courses",  # a route without its trailing slash
        "/api/v1/me",
        "/api/v1/courses/1/sections",
        "/api/schema",
        "/api/",
    ],
)
def test_a_path_no_api_route_takes_is_a_json_404_in_every_mode(settings, debug, method, path):
    """Neither Django's HTML debug page nor APPEND_SLASH's redirect (or its 500 for a POST)."""
    settings.DEBUG = debug

    response = getattr(Client(enforce_csrf_checks=True), method)(path)

    assert_envelope(response, status=404, code="not_found")
