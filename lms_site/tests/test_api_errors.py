"""The envelope of api.md: every error code from a real request, 204 without a body, paginated lists."""

import logging

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

pytestmark = [pytest.mark.django_db, pytest.mark.urls("lms_site.tests.urls_errors")]

TEST = "/api/v1/_test/"


@pytest.fixture
def me():
    return reverse("api:me")


def assert_error(response, *, status: int, code: str) -> dict:
    """The response is the error envelope with `code`; returns `error.details`."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"success", "message", "data", "error"}
    assert body["success"] is False
    assert body["data"] is None
    assert isinstance(body["message"], str)
    assert body["message"]
    assert set(body["error"]) == {"code", "details"}
    assert body["error"]["code"] == code
    return body["error"]["details"]


def test_invalid_field_is_validation_error_with_field_details(client_for, student, me):
    response = client_for(student).patch(me, {"first_name": "x" * 151}, format="json")

    details = assert_error(response, status=400, code="validation_error")
    assert list(details) == ["first_name"]
    assert details["first_name"]


def test_malformed_json_body_is_validation_error_not_server_error(client_for, student, me):
    response = client_for(student).patch(me, data='{"first_name": ', content_type="application/json")

    details = assert_error(response, status=400, code="validation_error")
    assert details["non_field_errors"]


def test_json_body_that_is_not_an_object_is_validation_error(client_for, student, me):
    response = client_for(student).patch(me, data="[1, 2]", content_type="application/json")

    assert_error(response, status=400, code="validation_error")


def test_unsupported_media_type_is_415(client_for, student, me):
    response = client_for(student).patch(
        me, data="first_name=x", content_type="application/x-www-form-urlencoded"
    )

    assert_error(response, status=415, code="unsupported_media_type")


def test_unacceptable_accept_header_is_406(client_for, student, me):
    response = client_for(student).get(me, headers={"Accept": "text/csv"})

    assert_error(response, status=406, code="not_acceptable")


def test_request_without_credentials_is_not_authenticated(api_client, me):
    response = api_client.get(me)

    assert_error(response, status=401, code="not_authenticated")
    assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("header", ["Bearer garbage", "Bearer a.b.c", "Bearer "])
def test_unusable_bearer_token_is_authentication_failed(api_client, me, header):
    response = api_client.get(me, headers={"Authorization": header})

    assert_error(response, status=401, code="authentication_failed")


def test_non_admin_is_permission_denied(client_for, student):
    response = client_for(student).get(f"{TEST}admin-only/")

    assert_error(response, status=403, code="permission_denied")


def test_session_write_without_csrf_token_is_permission_denied(student, me):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(student)

    response = client.patch(me, {"first_name": "New"}, format="json")

    assert_error(response, status=403, code="permission_denied")


def test_unknown_api_path_is_not_found_envelope(client_for, student):
    response = client_for(student).get("/api/v1/does-not-exist/")

    assert_error(response, status=404, code="not_found")


def test_unknown_api_path_is_not_found_envelope_for_anonymous_callers(api_client):
    response = api_client.post("/api/v1/does-not-exist/", {}, format="json")

    assert_error(response, status=404, code="not_found")


def test_disallowed_method_is_method_not_allowed(client_for, student, me):
    response = client_for(student).delete(me)

    assert_error(response, status=405, code="method_not_allowed")


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("payment_required", 402),
        ("conflict", 409),
        ("invalid_transition", 409),
        ("already_enrolled", 409),
        ("already_reviewed", 409),
        ("review_needs_progress", 409),
        ("permission_denied", 403),
        ("validation_error", 400),
    ],
)
def test_domain_error_keeps_its_status_code_and_details(api_client, code, status):
    response = api_client.post(f"{TEST}domain/{code}/", {}, format="json")

    assert assert_error(response, status=status, code=code) == {"reason": code}


def test_too_many_requests_is_throttled_with_retry_after(api_client):
    assert api_client.get(f"{TEST}throttled/").status_code == 200

    response = api_client.get(f"{TEST}throttled/")

    details = assert_error(response, status=429, code="throttled")
    assert 0 < int(response["Retry-After"]) <= 60
    assert details == {"wait": int(response["Retry-After"])}


@pytest.mark.parametrize(
    ("path", "status", "code", "cause"),
    [
        ("crash/", 500, "server_error", "boom"),
        ("redis-down/", 503, "service_unavailable", "Connection refused"),
    ],
    ids=["crash", "dependency-down"],
)
def test_failure_in_api_view_is_logged_and_answers_its_envelope(
    api_client, caplog, path, status, code, cause
):
    with caplog.at_level(logging.ERROR, logger="lms_site.api.exceptions"):
        response = api_client.get(f"{TEST}{path}")

    assert_error(response, status=status, code=code)
    assert cause not in response.content.decode()
    assert any(record.exc_info for record in caplog.records)


def test_api_exception_of_the_server_kind_is_server_error_not_validation_error(api_client):
    response = api_client.get(f"{TEST}unavailable/")

    assert_error(response, status=503, code="server_error")


def test_crash_outside_drf_under_api_is_server_error_envelope():
    client = APIClient(raise_request_exception=False)

    response = client.get(f"{TEST}django-crash/")

    assert_error(response, status=500, code="server_error")


def test_unreachable_dependency_outside_drf_under_api_is_service_unavailable():
    client = APIClient(raise_request_exception=False)

    response = client.get(f"{TEST}database-down/")

    assert_error(response, status=503, code="service_unavailable")


def test_no_content_response_has_no_body(api_client):
    response = api_client.delete(f"{TEST}no-content/")

    assert response.status_code == 204
    assert response.content == b""


def test_list_is_paginated_twenty_per_page_by_default(api_client):
    body = api_client.get(f"{TEST}numbers/").json()

    assert body["success"] is True
    assert body["error"] is None
    page = body["data"]
    assert set(page) == {"count", "next", "previous", "results"}
    assert page["count"] == 150
    assert page["results"] == [{"n": n} for n in range(20)]
    assert "page=2" in page["next"]
    assert page["previous"] is None


def test_page_size_parameter_is_capped_at_one_hundred(api_client):
    page = api_client.get(f"{TEST}numbers/", {"page_size": 500}).json()["data"]

    assert len(page["results"]) == 100


def test_page_parameter_selects_the_page(api_client):
    page = api_client.get(f"{TEST}numbers/", {"page": 2, "page_size": 50}).json()["data"]

    assert page["results"][0] == {"n": 50}
    assert page["previous"] is not None


def test_page_past_the_end_is_not_found(api_client):
    response = api_client.get(f"{TEST}numbers/", {"page": 99})

    assert_error(response, status=404, code="not_found")
