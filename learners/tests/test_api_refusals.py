"""Refusals of the learning API that the per-resource test modules do not pin down yet.

Each test asserts the precise status and `error.code` of the envelope, and that nothing changed.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog import services as catalog_services
from catalog.models import CourseStats

from .. import services
from ..models import Enrollment, LessonProgress, QuizAttempt, Review
from .factories import lessons_of, published_course, reviewed

pytestmark = pytest.mark.django_db


def signed_in(api_client, user):
    api_client.force_authenticate(user=user)
    return api_client


def error_code(response):
    return response.json()["error"]["code"]


def enroll_url(course):
    return reverse("api:course-enroll", args=[course.pk])


def enrollment_url(enrollment):
    return reverse("api:enrollment-detail", args=[enrollment.pk])


def review_url(review):
    return reverse("api:review-detail", args=[review.pk])


@pytest.fixture
def enrollment(admin, student):
    """The `student`'s enrolment in a published one-lesson course."""
    return services.enrollment_create(student=student, course=published_course(admin=admin))


@pytest.fixture
def review(enrollment, student):
    return reviewed(student=student, course=enrollment.course, rating=3, comment="Decent.")


@pytest.fixture
def elsewhere(admin, student):
    """A lesson of a published course, while the `student` is enrolled only in another course."""
    services.enrollment_create(student=student, course=published_course(admin=admin))
    return lessons_of(published_course(admin=admin))[0]


# Enrolling


def test_enrolling_before_the_window_opens_is_409_saying_when_it_opens(api_client, admin, student):
    course = published_course(admin=admin, enrollment_opens_at=timezone.now() + timedelta(days=3))

    response = signed_in(api_client, student).post(enroll_url(course))

    assert (response.status_code, error_code(response)) == (409, "conflict")
    assert "opens" in response.json()["message"]
    assert not Enrollment.objects.exists()


def test_enrolling_in_a_course_taken_out_of_the_catalog_is_404(api_client, admin, student):
    course = published_course(admin=admin)
    catalog_services.course_unpublish(course=course, user=admin)

    response = signed_in(api_client, student).post(enroll_url(course))

    assert (response.status_code, error_code(response)) == (404, "not_found")
    assert not Enrollment.objects.exists()
    assert CourseStats.objects.get(pk=course.pk).enrollment_count == 0


# Studying a course one is not enrolled in


def test_student_enrolled_elsewhere_cannot_record_progress_in_another_course(api_client, student, elsewhere):
    response = signed_in(api_client, student).post(
        reverse("api:lesson-progress", args=[elsewhere.pk]), {"position_seconds": 5}
    )

    assert (response.status_code, error_code(response)) == (403, "permission_denied")
    assert not LessonProgress.objects.exists()


def test_student_enrolled_elsewhere_cannot_complete_a_lesson_of_another_course(
    api_client, student, elsewhere
):
    response = signed_in(api_client, student).post(reverse("api:lesson-complete", args=[elsewhere.pk]))

    assert (response.status_code, error_code(response)) == (403, "permission_denied")
    assert not LessonProgress.objects.exists()


# Quizzes


def test_quiz_answers_listing_an_unknown_choice_beside_a_right_one_are_400(api_client, admin, student):
    course = published_course(admin=admin, lesson_types=("quiz",))
    quiz = lessons_of(course)[0]
    services.enrollment_create(student=student, course=course)
    question = quiz.quiz["questions"].bound_blocks[0]
    right = next(choice.id for choice in question.value["choices"].bound_blocks if choice.value["correct"])

    response = signed_in(api_client, student).post(
        reverse("api:lesson-quiz-attempts", args=[quiz.pk]),
        {"answers": {question.id: [right, "no-such-choice"]}},
    )

    assert (response.status_code, error_code(response)) == (400, "validation_error")
    assert list(response.json()["error"]["details"]) == [question.id]
    assert not QuizAttempt.objects.exists()


# Reviews


def test_editing_a_review_to_a_rating_of_6_is_400(api_client, student, review):
    response = signed_in(api_client, student).patch(review_url(review), {"rating": 6})

    assert (response.status_code, error_code(response)) == (400, "validation_error")
    assert "rating" in response.json()["error"]["details"]
    assert Review.objects.get().rating == 3
    assert CourseStats.objects.get(pk=review.course_id).average_rating == Decimal("3.00")


# Anonymous writes


def test_anonymous_review_edit_is_401_not_authenticated(api_client, review):
    response = api_client.patch(review_url(review), {"rating": 1})

    assert (response.status_code, error_code(response)) == (401, "not_authenticated")
    assert Review.objects.get().rating == 3


def test_anonymous_review_delete_is_401_not_authenticated(api_client, review):
    response = api_client.delete(review_url(review))

    assert (response.status_code, error_code(response)) == (401, "not_authenticated")
    assert Review.objects.filter(pk=review.pk).exists()


def test_anonymous_unenrol_is_401_not_authenticated(api_client, enrollment):
    response = api_client.delete(enrollment_url(enrollment))

    assert (response.status_code, error_code(response)) == (401, "not_authenticated")
    assert Enrollment.objects.filter(pk=enrollment.pk).exists()


# Someone else's enrolment


def test_another_student_deleting_your_enrolment_is_404_not_found(api_client, other_student, enrollment):
    response = signed_in(api_client, other_student).delete(enrollment_url(enrollment))

    assert (response.status_code, error_code(response)) == (404, "not_found")
    assert Enrollment.objects.filter(pk=enrollment.pk).exists()
    assert CourseStats.objects.get(pk=enrollment.course_id).enrollment_count == 1
