"""Reviews over HTTP: public to read, written by enrolled students, changed by their author or an admin."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from catalog import services as catalog_services
from catalog.models import CourseStats
from catalog.tests.factories import build_course

from .. import services
from ..models import Review
from .factories import first_lesson_done, published_course, reviewed

pytestmark = pytest.mark.django_db


def reviews_url(course):
    return reverse("api:course-reviews", args=[course.pk])


def review_url(review):
    return reverse("api:review-detail", args=[review.pk])


def signed_in(api_client, user):
    api_client.force_authenticate(user=user)
    return api_client


def error_code(response):
    return response.json()["error"]["code"]


def rating_of(course):
    stats = CourseStats.objects.get(pk=course.pk)
    return stats.review_count, stats.average_rating


@pytest.fixture
def course(admin, student):
    """A published course the `student` is enrolled in and has completed a lesson of."""
    course = published_course(admin=admin, lessons_per_section=2)
    services.enrollment_create(student=student, course=course)
    first_lesson_done(student, course)
    return course


@pytest.fixture
def review(course, student):
    return reviewed(student=student, course=course, rating=3, comment="Decent.")


# Reading


def test_anyone_reads_a_courses_reviews_newest_first(api_client, course, student, other_student):
    older = reviewed(student=student, course=course, rating=3)
    Review.objects.filter(pk=older.pk).update(created_at=older.created_at - timedelta(days=1))
    services.enrollment_create(student=other_student, course=course)
    newer = reviewed(student=other_student, course=course, rating=5, comment="Great.")

    data = api_client.get(reviews_url(course)).json()["data"]

    assert data["count"] == 2
    assert [row["id"] for row in data["results"]] == [str(newer.pk), str(older.pk)]
    first = data["results"][0]
    assert (first["rating"], first["comment"], first["course"]) == (5, "Great.", course.pk)
    assert first["author"] == {"id": str(other_student.pk), "name": other_student.get_full_name()}


def test_reviews_are_paginated(api_client, course, review):
    data = api_client.get(reviews_url(course), {"page_size": 1}).json()["data"]

    assert (data["count"], len(data["results"]), data["next"]) == (1, 1, None)


def test_reviews_of_a_course_you_cannot_see_are_404(api_client, student):
    response = signed_in(api_client, student).get(reviews_url(build_course()))

    assert (response.status_code, error_code(response)) == (404, "not_found")


# Writing


def test_enrolled_student_reviews_and_the_course_rating_follows(api_client, course, student):
    response = signed_in(api_client, student).post(reviews_url(course), {"rating": 4, "comment": " Useful. "})

    assert response.status_code == 201, response.json()
    data = response.json()["data"]
    assert (data["rating"], data["comment"], data["author"]["id"]) == (4, "Useful.", str(student.pk))
    assert rating_of(course) == (1, Decimal("4.00"))


def test_comment_is_optional(api_client, course, student):
    response = signed_in(api_client, student).post(reviews_url(course), {"rating": 5})

    assert (response.status_code, response.json()["data"]["comment"]) == (201, "")


def test_reviewing_without_an_enrolment_is_403(api_client, course, other_student):
    response = signed_in(api_client, other_student).post(reviews_url(course), {"rating": 4})

    assert (response.status_code, error_code(response)) == (403, "permission_denied")
    assert not Review.objects.exists()


def test_reviewing_before_completing_a_lesson_is_409_review_needs_progress(api_client, course, other_student):
    services.enrollment_create(student=other_student, course=course)

    response = signed_in(api_client, other_student).post(reviews_url(course), {"rating": 5})

    assert (response.status_code, error_code(response)) == (409, "review_needs_progress")
    assert not Review.objects.exists()


def test_reviewing_twice_is_409_already_reviewed(api_client, course, student, review):
    response = signed_in(api_client, student).post(reviews_url(course), {"rating": 5})

    assert (response.status_code, error_code(response)) == (409, "already_reviewed")
    assert rating_of(course) == (1, Decimal("3.00"))


@pytest.mark.parametrize("rating", [0, 6, "5", 4.5, 5.0, True, None])
def test_rating_must_be_a_whole_number_from_1_to_5(api_client, course, student, rating):
    response = signed_in(api_client, student).post(reviews_url(course), {"rating": rating})

    assert (response.status_code, error_code(response)) == (400, "validation_error")
    assert "rating" in response.json()["error"]["details"]
    assert not Review.objects.exists()


def test_anonymous_review_is_401(api_client, course):
    response = api_client.post(reviews_url(course), {"rating": 5})

    assert (response.status_code, error_code(response)) == (401, "not_authenticated")


# Changing


def test_author_edits_their_review_and_the_average_follows(api_client, course, student, review):
    response = signed_in(api_client, student).patch(review_url(review), {"rating": 5})

    assert response.status_code == 200
    assert (response.json()["data"]["rating"], response.json()["data"]["comment"]) == (5, "Decent.")
    assert rating_of(course) == (1, Decimal("5.00"))


def test_editing_someone_elses_review_is_403(api_client, course, other_student, review):
    response = signed_in(api_client, other_student).patch(review_url(review), {"rating": 1})

    assert (response.status_code, error_code(response)) == (403, "permission_denied")
    assert Review.objects.get().rating == 3


def test_deleting_someone_elses_review_is_403(api_client, other_student, review):
    response = signed_in(api_client, other_student).delete(review_url(review))

    assert response.status_code == 403
    assert Review.objects.exists()


def test_anonymous_edit_is_401(api_client, review):
    assert api_client.patch(review_url(review), {"rating": 1}).status_code == 401


@pytest.mark.parametrize("body", [{"rating": 0}, {"rating": "4"}, {}])
def test_edit_needs_a_valid_change(api_client, student, review, body):
    response = signed_in(api_client, student).patch(review_url(review), body)

    assert (response.status_code, error_code(response)) == (400, "validation_error")


def test_admin_deletes_a_review_and_the_count_follows(api_client, course, admin, review):
    response = signed_in(api_client, admin).delete(review_url(review))

    assert response.status_code == 204
    assert rating_of(course) == (0, Decimal("0"))


def test_unknown_review_is_404(api_client, student):
    response = signed_in(api_client, student).delete(
        reverse("api:review-detail", args=["00000000-0000-4000-8000-000000000000"])
    )

    assert response.status_code == 404


# One review


def test_anyone_reads_a_single_review(api_client, review, student):
    response = api_client.get(review_url(review))

    assert response.status_code == 200
    data = response.json()["data"]
    assert (data["id"], data["rating"], data["author"]["id"]) == (str(review.pk), 3, str(student.pk))


def test_a_review_of_a_course_you_cannot_see_is_404_its_author_still_edits_it(
    api_client, client_for, admin, student, review, course
):
    catalog_services.course_unpublish(course=course, user=admin)

    assert api_client.get(review_url(review)).status_code == 404
    assert client_for(admin).get(review_url(review)).status_code == 200
    author = signed_in(api_client, student)
    assert author.patch(review_url(review), {"rating": 4}, format="json").status_code == 200


def test_a_hidden_review_leaves_the_list_and_only_its_author_reads_it(api_client, course, admin, review):
    services.review_set_hidden(review=review, user=admin, hidden=True)

    assert api_client.get(reviews_url(course)).json()["data"]["count"] == 0
    assert api_client.get(review_url(review)).status_code == 404
    assert rating_of(course) == (0, Decimal("0"))
    mine = signed_in(api_client, review.student).get(review_url(review)).json()["data"]
    assert mine["hidden"] is True
