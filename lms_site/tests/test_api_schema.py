"""The OpenAPI schema as generated clients need it: named bodies, every status, each enum once."""

import re

import pytest
from drf_spectacular.generators import EndpointEnumerator
from openapi_spec_validator import validate
from rest_framework import exceptions
from rest_framework.test import APIRequestFactory

from lms_site import errors
from lms_site.api import auth_schema
from lms_site.api.exceptions import envelope_exception_handler
from lms_site.errors import ErrorCode

pytestmark = pytest.mark.django_db

SCHEMAS = "#/components/schemas/"
API_MD_CODES = {  # api.md's list, word for word
    "validation_error",
    "not_authenticated",
    "authentication_failed",
    "permission_denied",
    "not_found",
    "method_not_allowed",
    "payment_required",
    "conflict",
    "invalid_transition",
    "already_enrolled",
    "already_reviewed",
    "review_needs_progress",
    "lesson_locked",
    "grade_required",
    "unsupported_media_type",
    "not_acceptable",
    "payload_too_large",
    "throttled",
    "service_unavailable",
    "server_error",
}


@pytest.fixture(scope="module")
def schema(django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        response = Client().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def operations(schema, *, ours=True):
    for path, path_item in schema["paths"].items():
        if path.startswith("/api/v1/") == ours:
            for method, operation in path_item.items():
                yield path, method, operation


def test_the_schema_is_valid_openapi(schema):
    validate(schema)


def test_every_success_body_is_an_envelope_named_after_its_payload(schema):
    components = schema["components"]["schemas"]
    for path, method, operation in operations(schema):
        for status, response in operation["responses"].items():
            body = response.get("content", {}).get("application/json", {}).get("schema")
            if not status.startswith("2") or body is None:
                continue
            name = body["$ref"].removeprefix(SCHEMAS)
            envelope = components[name]
            assert envelope["required"] == ["success", "message", "data", "error"], (path, method)
            payload = envelope["properties"]["data"].get("$ref", "").removeprefix(SCHEMAS)
            assert name == f"{payload}Envelope", (path, method, name)
            assert envelope["properties"]["error"] == {
                "allOf": [{"$ref": SCHEMAS + "EnvelopeError"}],
                "nullable": True,
            }


def test_every_error_is_the_error_envelope_with_named_parts(schema):
    components = schema["components"]["schemas"]
    for _path, _method, operation in operations(schema):
        for status, response in operation["responses"].items():
            if status[0] in "45":
                assert response["content"] == {
                    "application/json": {"schema": {"$ref": SCHEMAS + "ErrorEnvelope"}}
                }
    assert components["ErrorEnvelope"]["properties"]["error"] == {"$ref": SCHEMAS + "EnvelopeError"}
    assert components["EnvelopeError"]["properties"] == {
        "code": {"$ref": SCHEMAS + "ErrorCode"},
        "details": {"$ref": SCHEMAS + "ErrorDetails"},
    }


def test_error_codes_have_one_source_holding_every_code_of_api_md(schema):
    assert set(ErrorCode.values) == API_MD_CODES
    assert schema["components"]["schemas"]["ErrorCode"]["enum"] == ErrorCode.values


def _domain_errors(cls=errors.DomainError):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _domain_errors(subclass)


def test_every_code_the_api_answers_with_is_a_listed_one():
    assert {error.code for error in _domain_errors()} <= set(ErrorCode.values)
    request = APIRequestFactory().get("/api/v1/")
    raised = [
        errors.Conflict(),
        exceptions.NotAuthenticated(),
        exceptions.AuthenticationFailed(),
        exceptions.PermissionDenied(),
        exceptions.NotFound(),
        exceptions.MethodNotAllowed("TRACE"),
        exceptions.Throttled(wait=3),
        exceptions.ValidationError({"name": ["Required."]}),
        exceptions.ParseError(),
        exceptions.UnsupportedMediaType("text/csv"),
        exceptions.NotAcceptable(),
        exceptions.APIException(),
        RuntimeError("boom"),
    ]
    for error in raised:
        response = envelope_exception_handler(error, {"request": request, "view": None})
        assert response.data["error"]["code"] in ErrorCode.values, error


def test_bodies_are_json_except_file_uploads_and_the_views_parse_what_is_documented(schema):
    parsers = {}
    for path, _regex, method, view in EndpointEnumerator().get_api_endpoints():
        view_class = view.cls
        media_types = {parser.media_type for parser in view_class().get_parsers()}
        parsers[(re.sub(r"\{[^}]+\}", "{}", path), method.lower())] = media_types
    for path, method, operation in operations(schema):
        if "requestBody" not in operation:
            continue
        documented = set(operation["requestBody"]["content"])
        uploads = path in ("/api/v1/me/avatar/", "/api/v1/lessons/{lesson_id}/submissions/")
        expected = {"multipart/form-data"} if uploads else {"application/json"}
        assert documented == expected, (path, method)
        assert parsers[(re.sub(r"\{[^}]+\}", "{}", path), method)] == documented, (path, method)


@pytest.mark.parametrize(
    ("path", "method"),
    [
        *[
            ("/api/v1/courses/{id}/" + action + "/", "post")
            for action in ["submit", "withdraw", "approve", "reject", "publish", "unpublish"]
        ],
        *[
            ("/api/v1/instructor-requests/{id}/" + action + "/", "post")
            for action in ["approve", "reject", "withdraw"]
        ],
        *[
            (path, method)
            for path in [
                "/api/v1/courses/{id}/",
                "/api/v1/courses/{course_pk}/sections/{id}/",
                "/api/v1/courses/{course_pk}/sections/{section_pk}/lessons/{id}/",
            ]
            for method in ("patch", "delete")
        ],
    ],
)
def test_conflicts_are_documented_where_a_state_refuses(schema, path, method):
    responses = schema["paths"][path][method]["responses"]
    assert "409" in responses
    assert "invalid_transition" in responses["409"]["description"]


def test_each_enum_is_one_component_parameters_included(schema):
    components = schema["components"]["schemas"]
    enums = {frozenset(component["enum"]) for component in components.values() if "enum" in component}
    for path, method, operation in operations(schema):
        for parameter in operation.get("parameters", []):
            inline = parameter["schema"].get("enum")
            assert inline is None or frozenset(inline) not in enums, (path, method, parameter["name"])
    parameters = {
        (path, parameter["name"]): parameter["schema"]
        for path, _method, operation in operations(schema)
        for parameter in operation.get("parameters", [])
    }
    assert parameters[("/api/v1/courses/", "difficulty")] == {"$ref": SCHEMAS + "DifficultyEnum"}
    assert parameters[("/api/v1/courses/", "status")] == {"$ref": SCHEMAS + "CourseStatusEnum"}
    assert parameters[("/api/v1/users/", "role")] == {"$ref": SCHEMAS + "RoleEnum"}


def _references(node) -> set[str]:
    if isinstance(node, dict):
        found = (
            {node["$ref"].removeprefix(SCHEMAS)} if str(node.get("$ref", "")).startswith(SCHEMAS) else set()
        )
        return found.union(*(_references(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_references(value) for value in node))
    return set()


def test_no_component_is_left_unused(schema):
    components = schema["components"]["schemas"]
    used = _references({key: value for key, value in schema.items() if key != "components"})
    used |= _references({key: value for key, value in schema["components"].items() if key != "schemas"})
    pending = list(used)
    while pending:
        for name in _references(components[pending.pop()]) - used:
            used.add(name)
            pending.append(name)

    assert set(components) == used


def test_tags_servers_and_contact_describe_the_service(schema, settings):
    described = {tag["name"]: tag["description"] for tag in schema["tags"]}
    used = {
        tag
        for path_item in schema["paths"].values()
        for operation in path_item.values()
        for tag in operation["tags"]
    }
    assert used <= set(described)
    assert all(described.values())
    assert schema["servers"] == [{"url": settings.SITE_URL, "description": settings.WAGTAIL_SITE_NAME}]
    assert schema["info"]["contact"]["url"].startswith(settings.SITE_URL)


def test_servers_follow_site_url_when_the_schema_is_made(client, settings):
    settings.SITE_URL = "https://learn.example.com/"

    servers = client.get("/api/schema/", {"format": "json"}).json()["servers"]

    assert servers[0]["url"] == "https://learn.example.com"


def test_search_is_documented_only_where_a_list_searches(schema):
    searching = {
        path
        for path, _method, operation in operations(schema)
        if any(parameter["name"] == "search" for parameter in operation.get("parameters", []))
    }
    assert searching == {"/api/v1/courses/", "/api/v1/instructor-requests/", "/api/v1/users/"}


def test_ordering_is_documented_with_what_it_takes(schema):
    for path, _method, operation in operations(schema):
        for parameter in operation.get("parameters", []):
            if parameter["name"] == "ordering":
                assert parameter["schema"]["pattern"].startswith("^-?("), path


def test_signing_in_is_part_of_the_schema_with_the_bearer_scheme(schema):
    merged = {
        operation["operationId"]: (path, method, operation)
        for path, method, operation in operations(schema, ours=False)
    }
    assert set(merged) == {operation_id for *_, operation_id, _bearer in auth_schema.OPERATIONS}
    assert all(path.startswith("/_allauth/app/v1/") for path, *_ in merged.values())
    for *_, operation_id, needs_bearer in auth_schema.OPERATIONS:
        _path, _method, operation = merged[operation_id]
        assert operation["tags"] == ["authentication"]
        assert (operation.get("security") == [{"JWT": []}]) is needs_bearer
    components = schema["components"]["schemas"]
    assert components["AllauthLogin"]["required"] == ["email", "password"]
    assert "refresh_token" in components["AllauthBaseAuthenticationMeta"]["properties"]
    assert schema["components"]["securitySchemes"]["JWT"]["scheme"] == "bearer"
