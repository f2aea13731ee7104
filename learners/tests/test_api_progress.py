"""Studying over HTTP: positions, completing lessons, quizzes, and the whole journey to a certificate."""

import json

import pytest
from django.urls import reverse

from catalog.models import LessonPage
from catalog.tests.factories import build_course

from .. import services
from ..models import Certificate, LessonProgress, QuizAttempt
from .factories import lessons_of, published_course, quiz_answers

pytestmark = pytest.mark.django_db


def progress_url(lesson):
    return reverse("api:lesson-progress", args=[lesson.pk])


def complete_url(lesson):
    return reverse("api:lesson-complete", args=[lesson.pk])


def quiz_url(lesson):
    return reverse("api:lesson-quiz-attempts", args=[lesson.pk])


def signed_in(api_client, user):
    api_client.force_authenticate(user=user)
    return api_client


def error_code(response):
    return response.json()["error"]["code"]


@pytest.fixture
def enrolled(admin, student):
    """A student enrolled in a one-lesson course; returns that lesson."""
    course = published_course(admin=admin)
    services.enrollment_create(student=student, course=course)
    return lessons_of(course)[0]


@pytest.fixture
def quiz(admin, student):
    """A student enrolled in a course whose only lesson is a quiz; returns the quiz lesson."""
    course = published_course(admin=admin, lesson_types=("quiz",))
    services.enrollment_create(student=student, course=course)
    return lessons_of(course)[0]


def test_student_journey_from_enrolment_to_a_verified_certificate_and_a_review(api_client, admin, student):
    course = published_course(admin=admin, lessons_per_section=3, lesson_types=("video", "text", "quiz"))
    video, text, quiz_lesson = lessons_of(course)
    client = signed_in(api_client, student)

    assert client.post(reverse("api:course-enroll", args=[course.pk])).status_code == 201

    position = client.post(progress_url(video), {"position_seconds": 95})
    assert (position.status_code, position.json()["data"]["position_seconds"]) == (200, 95)

    assert client.post(complete_url(video)).json()["data"]["progress_percentage"] == "33.33"
    done = client.post(complete_url(text)).json()["data"]
    assert (done["progress_percentage"], done["certificate"]) == ("66.67", None)

    failed = client.post(quiz_url(quiz_lesson), {"answers": quiz_answers(quiz_lesson, right=False)})
    assert failed.status_code == 201
    assert (failed.json()["data"]["passed"], failed.json()["data"]["progress_percentage"]) == (False, "66.67")

    passed = client.post(quiz_url(quiz_lesson), {"answers": quiz_answers(quiz_lesson)}).json()["data"]
    assert (passed["passed"], passed["score"], passed["progress_percentage"]) == (True, "100.00", "100.00")

    again = client.post(complete_url(quiz_lesson)).json()["data"]  # harmless once the course is done
    certificate = Certificate.objects.get()
    assert again["certificate"]["code"] == certificate.code
    assert again["completed_at"] is not None

    listed = client.get(reverse("api:certificate-list")).json()["data"]["results"]
    assert [row["code"] for row in listed] == [certificate.code]

    client.force_authenticate(user=None)
    verified = client.get(reverse("api:certificate-detail", args=[certificate.code])).json()["data"]
    assert (verified["holder_name"], verified["course_title"], verified["valid"]) == (
        student.get_full_name(),
        course.title,
        True,
    )

    client.force_authenticate(user=student)
    review = client.post(reverse("api:course-reviews", args=[course.pk]), {"rating": 4, "comment": "Clear."})
    assert review.status_code == 201
    card = client.get(reverse("api:course-detail", args=[course.pk])).json()["data"]
    assert (card["average_rating"], card["review_count"]) == ("4.00", 1)


# Positions


def test_position_is_remembered(api_client, student, enrolled):
    response = signed_in(api_client, student).post(progress_url(enrolled), {"position_seconds": 30})

    assert response.status_code == 200
    data = response.json()["data"]
    assert (data["lesson"], data["status"], data["position_seconds"]) == (enrolled.pk, "in_progress", 30)
    assert LessonProgress.objects.get().position_seconds == 30


@pytest.mark.parametrize("position", [-1, "30", 1.5, True, None])
def test_position_must_be_a_whole_number_of_seconds(api_client, student, enrolled, position):
    response = signed_in(api_client, student).post(progress_url(enrolled), {"position_seconds": position})

    assert (response.status_code, error_code(response)) == (400, "validation_error")
    assert "position_seconds" in response.json()["error"]["details"]


def test_position_is_required(api_client, student, enrolled):
    response = signed_in(api_client, student).post(progress_url(enrolled), {})

    assert response.status_code == 400


def test_progress_in_a_course_not_enrolled_in_is_403(api_client, admin, student):
    lesson = lessons_of(published_course(admin=admin))[0]

    response = signed_in(api_client, student).post(progress_url(lesson), {"position_seconds": 5})

    assert (response.status_code, error_code(response)) == (403, "permission_denied")


def test_progress_on_an_unknown_lesson_is_404(api_client, student):
    response = signed_in(api_client, student).post(
        reverse("api:lesson-progress", args=[999999]), {"position_seconds": 5}
    )

    assert (response.status_code, error_code(response)) == (404, "not_found")


def test_progress_on_a_lesson_of_an_unpublished_course_is_404(api_client, student):
    lesson = LessonPage.objects.descendant_of(build_course()).get()

    response = signed_in(api_client, student).post(progress_url(lesson), {"position_seconds": 5})

    assert response.status_code == 404


# Completing


def test_completing_the_only_lesson_returns_the_certificate(api_client, student, enrolled):
    data = signed_in(api_client, student).post(complete_url(enrolled)).json()["data"]

    certificate = Certificate.objects.get()
    assert data["progress_percentage"] == "100.00"
    assert data["certificate"] == {
        "code": certificate.code,
        "verify_url": f"http://testserver/certificates/{certificate.code}/",
        "pdf_url": None,  # the worker has not rendered it yet
    }


def test_completing_in_a_course_not_enrolled_in_is_403(api_client, admin, student):
    lesson = lessons_of(published_course(admin=admin))[0]

    response = signed_in(api_client, student).post(complete_url(lesson))

    assert (response.status_code, error_code(response)) == (403, "permission_denied")


def test_completing_a_locked_lesson_of_a_sequential_course_is_409(api_client, admin, student):
    course = published_course(admin=admin, lessons_per_section=2, is_sequential=True)
    first, second = lessons_of(course)
    services.enrollment_create(student=student, course=course)

    response = signed_in(api_client, student).post(complete_url(second))

    assert (response.status_code, error_code(response)) == (409, "lesson_locked")
    assert first.title in response.json()["message"]


def test_completing_a_quiz_not_yet_passed_is_409(api_client, student, quiz):
    response = signed_in(api_client, student).post(complete_url(quiz))

    assert (response.status_code, error_code(response)) == (409, "conflict")


@pytest.mark.parametrize("route", ["api:lesson-progress", "api:lesson-complete", "api:lesson-quiz-attempts"])
def test_anonymous_post_is_401(api_client, enrolled, route):
    response = api_client.post(reverse(route, args=[enrolled.pk]), {})

    assert (response.status_code, error_code(response)) == (401, "not_authenticated")


# Quizzes


def test_quiz_result_says_right_or_wrong_without_revealing_the_answers(api_client, student, quiz):
    question = quiz.quiz["questions"].bound_blocks[0]
    choice_ids = [choice.id for choice in question.value["choices"].bound_blocks]

    response = signed_in(api_client, student).post(
        quiz_url(quiz), {"answers": quiz_answers(quiz, right=False)}
    )

    assert response.status_code == 201
    data = response.json()["data"]
    assert (data["score"], data["passed"], data["results"]) == ("0.00", False, {question.id: False})
    assert not any(choice_id in json.dumps(response.json()) for choice_id in choice_ids)


def test_passing_a_quiz_completes_the_lesson(api_client, student, quiz):
    data = signed_in(api_client, student).post(quiz_url(quiz), {"answers": quiz_answers(quiz)}).json()["data"]

    assert (data["passed"], data["progress_percentage"]) == (True, "100.00")
    assert LessonProgress.objects.get().status == LessonProgress.Status.COMPLETED


def test_quiz_answers_naming_an_unknown_question_are_400(api_client, student, quiz):
    response = signed_in(api_client, student).post(quiz_url(quiz), {"answers": {"no-such-question": "x"}})

    assert (response.status_code, error_code(response)) == (400, "validation_error")
    assert not QuizAttempt.objects.exists()


def test_quiz_answers_naming_an_unknown_choice_are_400(api_client, student, quiz):
    answers = dict.fromkeys(quiz_answers(quiz), "no-such-choice")

    response = signed_in(api_client, student).post(quiz_url(quiz), {"answers": answers})

    assert (response.status_code, error_code(response)) == (400, "validation_error")
    assert list(response.json()["error"]["details"]) == list(answers)


@pytest.mark.parametrize("body", [{}, {"answers": "4"}, {"answers": ["4"]}])
def test_quiz_answers_must_be_an_object(api_client, student, quiz, body):
    response = signed_in(api_client, student).post(quiz_url(quiz), body)

    assert response.status_code == 400
    assert "answers" in response.json()["error"]["details"]


def test_quiz_in_a_course_not_enrolled_in_is_403(api_client, admin, student):
    lesson = lessons_of(published_course(admin=admin, lesson_types=("quiz",)))[0]

    response = signed_in(api_client, student).post(quiz_url(lesson), {"answers": quiz_answers(lesson)})

    assert response.status_code == 403


def test_quiz_attempt_on_a_lesson_without_a_quiz_is_404(api_client, student, enrolled):
    response = signed_in(api_client, student).post(quiz_url(enrolled), {"answers": {}})

    assert response.status_code == 404
