"""Enrolling, listing, reading and leaving enrolments over HTTP."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import resolve, reverse
from django.utils import timezone

from catalog.models import CourseStats
from catalog.tests.factories import build_course

from .. import services
from ..api.views import CourseEnrollView
from ..models import Enrollment
from .factories import lessons_of, published_course

pytestmark = pytest.mark.django_db

LIST = reverse("api:enrollment-list")


def enroll_url(course):
    return reverse("api:course-enroll", args=[course.pk])


def detail_url(enrollment):
    return reverse("api:enrollment-detail", args=[enrollment.pk])


def signed_in(api_client, user):
    api_client.force_authenticate(user=user)
    return api_client


def error_code(response):
    return response.json()["error"]["code"]


# Enrolling


def test_enrolling_answers_201_with_the_enrolment(api_client, admin, student):
    course = published_course(admin=admin)

    response = signed_in(api_client, student).post(enroll_url(course))

    assert response.status_code == 201, response.json()
    data = response.json()["data"]
    assert data["course"]["id"] == course.pk
    assert (data["progress_percentage"], data["completed_at"], data["certificate"]) == ("0.00", None, None)
    assert Enrollment.objects.get(pk=data["id"]).student == student
    assert CourseStats.objects.get(pk=course.pk).enrollment_count == 1


def test_enrolling_twice_is_409_already_enrolled(api_client, admin, student):
    course = published_course(admin=admin)
    client = signed_in(api_client, student)
    client.post(enroll_url(course))

    response = client.post(enroll_url(course))

    assert (response.status_code, error_code(response)) == (409, "already_enrolled")
    assert Enrollment.objects.count() == 1


def test_paid_course_is_402_payment_required(api_client, admin, student):
    course = published_course(admin=admin, price=Decimal("20.00"))

    response = signed_in(api_client, student).post(enroll_url(course))

    assert (response.status_code, error_code(response)) == (402, "payment_required")
    assert not Enrollment.objects.exists()


def test_unpublished_course_is_404(api_client, student):
    response = signed_in(api_client, student).post(enroll_url(build_course()))

    assert (response.status_code, error_code(response)) == (404, "not_found")


def test_unknown_course_is_404(api_client, student):
    response = signed_in(api_client, student).post(reverse("api:course-enroll", args=[999999]))

    assert (response.status_code, error_code(response)) == (404, "not_found")


def test_full_course_is_409_saying_it_is_full(api_client, admin, student, other_student):
    course = published_course(admin=admin, enrollment_cap=1)
    services.enrollment_create(student=other_student, course=course)

    response = signed_in(api_client, student).post(enroll_url(course))

    assert (response.status_code, error_code(response)) == (409, "conflict")
    assert "full" in response.json()["message"]


def test_closed_window_is_409_saying_it_closed(api_client, admin, student):
    course = published_course(admin=admin, enrollment_closes_at=timezone.now() - timedelta(days=1))

    response = signed_in(api_client, student).post(enroll_url(course))

    assert (response.status_code, error_code(response)) == (409, "conflict")
    assert "closed" in response.json()["message"]


def test_anonymous_enrolling_is_401(api_client, admin):
    response = api_client.post(enroll_url(published_course(admin=admin)))

    assert (response.status_code, error_code(response)) == (401, "not_authenticated")


def test_enroll_route_is_learners_not_the_catalogs(admin):
    """catalog's router owns courses/<id>/...; enroll/ must still reach this app's view."""
    assert resolve(enroll_url(published_course(admin=admin))).func.view_class is CourseEnrollView


# Listing


def test_student_lists_only_their_own_enrolments(api_client, admin, student, other_student):
    course = published_course(admin=admin)
    own = services.enrollment_create(student=student, course=course)
    services.enrollment_create(student=other_student, course=course)

    data = signed_in(api_client, student).get(LIST).json()["data"]

    assert [row["id"] for row in data["results"]] == [str(own.pk)]


def test_list_row_carries_the_course_summary_and_progress(api_client, admin, student):
    course = published_course(admin=admin)
    services.enrollment_create(student=student, course=course)

    row = signed_in(api_client, student).get(LIST).json()["data"]["results"][0]

    summary = row["course"]
    assert (summary["id"], summary["title"], summary["slug"]) == (course.pk, course.title, course.slug)
    assert summary["url"].endswith(f"/courses/{course.slug}/")
    assert summary["thumbnail"] is None
    assert summary["instructor"] == {"id": str(course.owner_id), "name": course.owner.get_full_name()}
    assert row["student"] == {"id": str(student.pk), "name": student.get_full_name()}
    assert (row["progress_percentage"], row["last_accessed_at"], row["certificate"]) == ("0.00", None, None)


def test_list_row_names_the_certificate_once_the_course_is_complete(api_client, admin, student):
    course = published_course(admin=admin)
    services.enrollment_create(student=student, course=course)
    services.lesson_complete(student=student, lesson=lessons_of(course)[0])

    row = signed_in(api_client, student).get(LIST).json()["data"]["results"][0]

    assert row["certificate"] == Enrollment.objects.get().certificate.code
    assert row["completed_at"] is not None


def test_admin_lists_everyones_and_filters_by_course_and_student(api_client, admin, student, other_student):
    first, second = published_course(admin=admin), published_course(admin=admin)
    for person in (student, other_student):
        for course in (first, second):
            services.enrollment_create(student=person, course=course)
    client = signed_in(api_client, admin)

    def listed(**params):
        return {
            (row["course"]["id"], row["student"]["id"])
            for row in client.get(LIST, params).json()["data"]["results"]
        }

    assert len(listed()) == 4
    assert listed(course=first.pk) == {(first.pk, str(student.pk)), (first.pk, str(other_student.pk))}
    assert listed(course=first.pk, student=student.pk) == {(first.pk, str(student.pk))}


@pytest.mark.parametrize(
    ("param", "value"), [("course", "first"), ("course", "0"), ("student", "not-a-uuid")]
)
def test_bad_filter_value_is_400_naming_the_parameter(api_client, admin, param, value):
    response = signed_in(api_client, admin).get(LIST, {param: value})

    assert (response.status_code, error_code(response)) == (400, "validation_error")
    assert param in response.json()["error"]["details"]


def test_anonymous_list_is_401(api_client):
    assert api_client.get(LIST).status_code == 401


# Detail


def test_detail_lists_every_live_lesson_in_order_with_its_progress(api_client, admin, student):
    course = published_course(admin=admin, sections=2, lessons_per_section=2, lesson_types=("video", "text"))
    lessons = lessons_of(course)
    enrollment = services.enrollment_create(student=student, course=course)
    services.lesson_complete(student=student, lesson=lessons[0])
    services.progress_record(student=student, lesson=lessons[1], position_seconds=42)

    data = signed_in(api_client, student).get(detail_url(enrollment)).json()["data"]

    assert data["progress_percentage"] == "25.00"
    rows = data["lessons"]
    assert [row["id"] for row in rows] == [lesson.pk for lesson in lessons]
    assert [row["type"] for row in rows] == ["video", "text", "video", "text"]
    assert [row["status"] for row in rows] == ["completed", "in_progress", "not_started", "not_started"]
    assert [row["position_seconds"] for row in rows] == [0, 42, 0, 0]
    assert rows[0]["completed_at"] is not None and rows[1]["completed_at"] is None
    assert rows[0]["section"] == {"id": lessons[0].get_parent().pk, "title": lessons[0].get_parent().title}
    assert rows[2]["section"]["id"] == lessons[2].get_parent().pk != rows[0]["section"]["id"]
    assert not any(row["locked"] for row in rows)


def test_detail_shows_which_lessons_are_locked_in_a_sequential_course(api_client, admin, student):
    course = published_course(admin=admin, lessons_per_section=3, is_sequential=True)
    first = lessons_of(course)[0]
    enrollment = services.enrollment_create(student=student, course=course)
    services.lesson_complete(student=student, lesson=first)

    rows = signed_in(api_client, student).get(detail_url(enrollment)).json()["data"]["lessons"]

    assert [row["locked"] for row in rows] == [False, False, True]


def test_another_students_enrolment_is_404(api_client, admin, student, other_student):
    enrollment = services.enrollment_create(student=student, course=published_course(admin=admin))

    response = signed_in(api_client, other_student).get(detail_url(enrollment))

    assert (response.status_code, error_code(response)) == (404, "not_found")


def test_admin_reads_anyones_enrolment(api_client, admin, student):
    enrollment = services.enrollment_create(student=student, course=published_course(admin=admin))

    response = signed_in(api_client, admin).get(detail_url(enrollment))

    assert response.status_code == 200
    assert response.json()["data"]["student"]["id"] == str(student.pk)


# Leaving


def test_student_unenrols_with_delete(api_client, admin, student):
    course = published_course(admin=admin)
    enrollment = services.enrollment_create(student=student, course=course)

    response = signed_in(api_client, student).delete(detail_url(enrollment))

    assert response.status_code == 204
    assert not Enrollment.objects.exists()
    assert CourseStats.objects.get(pk=course.pk).enrollment_count == 0


def test_another_student_cannot_delete_your_enrolment(api_client, admin, student, other_student):
    enrollment = services.enrollment_create(student=student, course=published_course(admin=admin))

    response = signed_in(api_client, other_student).delete(detail_url(enrollment))

    assert response.status_code == 404
    assert Enrollment.objects.filter(pk=enrollment.pk).exists()


def test_an_enrolment_with_a_certificate_cannot_be_deleted(api_client, admin, student):
    course = published_course(admin=admin)
    enrollment = services.enrollment_create(student=student, course=course)
    services.lesson_complete(student=student, lesson=lessons_of(course)[0])

    response = signed_in(api_client, student).delete(detail_url(enrollment))

    assert (response.status_code, error_code(response)) == (409, "conflict")
    assert Enrollment.objects.filter(pk=enrollment.pk).exists()
