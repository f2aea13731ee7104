"""Certificates over HTTP: one's own list, and public verification by code."""

import pytest
from django.urls import reverse

from .. import services
from ..models import Certificate
from .factories import lessons_of, published_course

pytestmark = pytest.mark.django_db

LIST = reverse("api:certificate-list")


def verify_url(code):
    return reverse("api:certificate-detail", args=[code])


def signed_in(api_client, user):
    api_client.force_authenticate(user=user)
    return api_client


def complete_course(admin, student) -> Certificate:
    course = published_course(admin=admin)
    services.enrollment_create(student=student, course=course)
    services.lesson_complete(student=student, lesson=lessons_of(course)[0])
    return Certificate.objects.get(enrollment__student=student, enrollment__course=course)


def test_student_lists_only_their_own_certificates(api_client, admin, student, other_student):
    own = complete_course(admin, student)
    complete_course(admin, other_student)

    rows = signed_in(api_client, student).get(LIST).json()["data"]["results"]

    course = own.enrollment.course
    assert rows == [
        {
            "code": own.code,
            "course": {"id": course.pk, "title": course.title},
            "issued_at": rows[0]["issued_at"],
            "pdf_url": None,
            "verify_url": f"http://testserver/certificates/{own.code}/",
        }
    ]
    assert rows[0]["issued_at"] is not None


def test_pdf_url_is_absolute_once_the_worker_rendered_it(
    api_client, admin, student, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        certificate = complete_course(admin, student)

    row = signed_in(api_client, student).get(LIST).json()["data"]["results"][0]

    assert row["pdf_url"] == f"http://testserver/certificates/{certificate.code}/pdf/"
    assert api_client.get(row["pdf_url"]).status_code == 200


def test_anonymous_list_is_401(api_client):
    assert api_client.get(LIST).status_code == 401


def test_anyone_verifies_a_certificate_by_its_code(api_client, admin, student):
    certificate = complete_course(admin, student)
    course = certificate.enrollment.course

    response = api_client.get(verify_url(certificate.code.lower()))  # typed by hand from the paper

    assert response.status_code == 200
    data = response.json()["data"]
    assert data == {
        "code": certificate.code,
        "holder_name": student.get_full_name(),
        "course_title": course.title,
        "instructor_name": course.owner.get_full_name(),
        "issued_at": data["issued_at"],
        "valid": True,
    }


def test_unknown_code_is_404(api_client):
    response = api_client.get(verify_url("NOPE0000NOPE0000"))

    assert (response.status_code, response.json()["error"]["code"]) == (404, "not_found")
