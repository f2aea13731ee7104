"""The API against its own OpenAPI schema: generated requests, as each role, through the WSGI app.

Schemathesis reads the schema drf-spectacular generates and calls every /api/v1/ operation with
generated paths, queries and bodies, anonymously and with each role's bearer token; every response must
be no server error and must match what the schema promises: a documented status (the undocumented-status
check is on explicitly), its content type and body. allauth's sign-in operations, merged into the schema,
are allauth's to test. The data below
gives generated ids something real to hit. A schema-valid request may still be refused (400, 409) by
rules a schema cannot state: a category that must exist, a slug unique among its siblings, a review
only from an enrolled student. So "valid data is accepted" is the one check left out. A handful of
examples per operation keeps CI quick; run with FUZZ_EXAMPLES=200 for a deeper search.
"""

import os
from contextlib import contextmanager

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from rest_framework.test import APIClient
from schemathesis.specs.openapi.checks import positive_data_acceptance, status_code_conformance

from config.wsgi import application
from lms_site.tests import headless

from .. import services
from .factories import lessons_of, published_course

EXAMPLES_PER_OPERATION = int(os.environ.get("FUZZ_EXAMPLES", "4"))

API = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
API.app = application
OPERATIONS = {
    operation.label: operation
    for operation in (result.ok() for result in API.get_all_operations())
    if operation.path.startswith("/api/v1/")
}


@contextmanager
def the_tests_connection():
    """Keep the test's database connection across the WSGI calls, as Django's test client does
    around each of its own requests: a request's end would close it, and with it the test's
    transaction on PostgreSQL."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


@pytest.fixture
def accounts(db, admin, instructor, student):
    """Each role's account, with a published course of the instructor's that the student studies."""
    course = published_course(admin=admin, owner=instructor)
    services.enrollment_create(student=student, course=course)
    services.lesson_complete(student=student, lesson=lessons_of(course)[0])
    return {"admin": admin, "instructor": instructor, "student": student}


def headers_for(accounts, role) -> dict:
    if role == "anonymous":
        return {}
    return headless.bearer(headless.login_tokens(APIClient(), accounts[role])["access"])


@pytest.mark.parametrize("role", ["anonymous", "student", "instructor", "admin"])
@pytest.mark.parametrize("label", OPERATIONS)
def test_api_answers_as_its_schema_says(accounts, role, label):
    operation, headers = OPERATIONS[label], headers_for(accounts, role)

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def call(case):
        case.call_and_validate(
            headers=headers,
            additional_checks=[status_code_conformance],
            excluded_checks=[positive_data_acceptance],
        )

    with the_tests_connection():
        call()
