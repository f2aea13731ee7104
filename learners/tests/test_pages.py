"""The learner's site pages: from the course page to a certificate and a review, and every refusal."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from pypdf import PdfReader

from catalog import services as catalog_services
from catalog.models import CourseStats
from catalog.tests.factories import build_course
from lms_site.errors import PaymentRequired

from .. import services
from ..models import Certificate, Enrollment, LessonProgress, QuizAttempt, Review
from .factories import first_lesson_done, lessons_of, published_course, quiz_answers, reviewed

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def quiz_form(lesson, *, right=True) -> dict:
    """The quiz form as a browser posts it: one field per question, valued by choice ids."""
    return quiz_answers(lesson, right=right)


@pytest.fixture
def course(admin):
    return published_course(admin=admin, sections=2, lessons_per_section=2, lesson_types=("text", "quiz"))


@pytest.fixture
def enrolled(course, student):
    services.enrollment_create(student=student, course=course)
    return course


def test_student_goes_from_the_course_page_to_a_certificate_and_a_review(
    client, student, course, django_capture_on_commit_callbacks
):
    client = signed_in(client, student)
    page = client.get(course.url)
    enrol_url = reverse("learners:enrol", args=[course.pk])
    assert enrol_url in page.content.decode()

    response = client.post(enrol_url, follow=True)
    assert response.redirect_chain[-1][0] == course.url
    assert "You are enrolled" in response.content.decode()
    first, quiz, third, last = lessons_of(course)
    assert "Start learning" in response.content.decode()
    assert first.url in response.content.decode()

    lesson_page = client.get(first.url)
    assert "Mark as complete" in lesson_page.content.decode()
    response = client.post(reverse("learners:complete", args=[first.pk]))
    assert response.url == quiz.url

    failed = client.post(reverse("learners:quiz", args=[quiz.pk]), quiz_form(quiz, right=False), follow=True)
    assert "not passed yet" in failed.content.decode()
    assert "Wrong last time" in failed.content.decode()
    passed = client.post(reverse("learners:quiz", args=[quiz.pk]), quiz_form(quiz), follow=True)
    assert "passed." in passed.content.decode()
    assert "Right last time" in passed.content.decode()
    assert QuizAttempt.objects.filter(lesson=quiz).count() == 2

    client.post(reverse("learners:complete", args=[third.pk]))
    assert Enrollment.objects.get(student=student).progress_percentage == Decimal(75)
    with django_capture_on_commit_callbacks(execute=True):
        finished = client.post(reverse("learners:quiz", args=[last.pk]), quiz_form(last), follow=True)
    assert "passed." in finished.content.decode()
    client.post(reverse("learners:complete", args=[last.pk]))  # done already: no second certificate
    certificate = Certificate.objects.get(enrollment__student=student)

    dashboard = client.get(reverse("learners:dashboard")).content.decode()
    assert reverse("learners:certificate_verify", args=[certificate.code]) in dashboard
    verification = client.get(reverse("learners:certificate_verify", args=[certificate.code]))
    assert student.get_full_name() in verification.content.decode()
    pdf = client.get(reverse("learners:certificate_pdf", args=[certificate.code]))
    assert pdf["Content-Type"] == "application/pdf"

    response = client.post(
        reverse("learners:review", args=[course.pk]),
        {"rating": "5", "comment": "Clear and kind."},
        follow=True,
    )
    assert "Thank you for your review." in response.content.decode()
    assert "Clear and kind." in response.content.decode()
    assert CourseStats.objects.get(pk=course.pk).review_count == 1
    assert Certificate.objects.filter(enrollment__student=student).count() == 1


def test_completing_the_last_lesson_says_so_and_the_certificate_pdf_opens(
    client, student, admin, django_capture_on_commit_callbacks
):
    course = published_course(admin=admin)
    services.enrollment_create(student=student, course=course)
    [lesson] = lessons_of(course)

    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in(client, student).post(
            reverse("learners:complete", args=[lesson.pk]), follow=True
        )

    assert response.redirect_chain[-1][0] == course.url
    assert f"You completed “{course.title}”" in response.content.decode()
    assert "View your certificate" in response.content.decode()
    certificate = Certificate.objects.get()
    pdf = client.get(reverse("learners:certificate_pdf", args=[certificate.code]))
    text = PdfReader(_bytes_io(pdf)).pages[0].extract_text()
    assert student.get_full_name() in text


def _bytes_io(response):
    import io

    return io.BytesIO(b"".join(response.streaming_content))


def test_opening_a_lesson_records_the_visit_and_the_dashboard_continues_there(client, student, enrolled):
    lessons = lessons_of(enrolled)
    client = signed_in(client, student)
    client.get(lessons[2].url)

    assert LessonProgress.objects.get(lesson=lessons[2]).status == LessonProgress.Status.IN_PROGRESS
    dashboard = client.get(reverse("learners:dashboard")).content.decode()
    assert f"Next: {lessons[2].title}" in dashboard


def test_visiting_a_lesson_keeps_the_video_position(client, student, enrolled):
    lesson = lessons_of(enrolled)[0]
    services.progress_record(student=student, lesson=lesson, position_seconds=90)

    signed_in(client, student).get(lesson.url)

    assert LessonProgress.objects.get(lesson=lesson).position_seconds == 90


def test_dashboard_without_enrolments_points_to_the_catalog(client, student):
    response = signed_in(client, student).get(reverse("learners:dashboard"))

    assert "You are not enrolled in any course yet." in response.content.decode()


def test_dashboard_shows_only_ones_own_courses(client, student, other_student, enrolled, admin):
    other_course = published_course(admin=admin, title="Someone else's course")
    services.enrollment_create(student=other_student, course=other_course)

    page = signed_in(client, student).get(reverse("learners:dashboard")).content.decode()

    assert enrolled.title in page
    assert "Someone else&#x27;s course" not in page


def test_student_leaves_a_course(client, student, enrolled):
    response = signed_in(client, student).post(reverse("learners:leave", args=[enrolled.pk]))

    assert response.url == reverse("learners:dashboard")
    assert not Enrollment.objects.exists()


def test_reviewing_waits_for_a_completed_lesson(client, student, enrolled):
    client = signed_in(client, student)
    review_url = reverse("learners:review", args=[enrolled.pk])

    page = client.get(enrolled.url).content.decode()
    assert "Complete a lesson to review this course." in page
    assert f'action="{review_url}"' not in page
    response = client.post(review_url, {"rating": "5", "comment": "Before starting."})
    assert messages_of(response) == ["Complete at least one lesson before reviewing this course."]
    assert not Review.objects.exists()

    first_lesson_done(student, enrolled)

    page = client.get(enrolled.url).content.decode()
    assert f'action="{review_url}"' in page
    assert "Complete a lesson to review this course." not in page


def test_updating_and_deleting_ones_review(client, student, enrolled):
    first_lesson_done(student, enrolled)
    client = signed_in(client, student)
    review_url = reverse("learners:review", args=[enrolled.pk])
    client.post(review_url, {"rating": "2", "comment": "Hmm."})
    client.post(review_url, {"rating": "4", "comment": "Better on a second look."})

    review = Review.objects.get()
    assert (review.rating, review.comment) == (4, "Better on a second look.")
    assert CourseStats.objects.get(pk=enrolled.pk).average_rating == 4

    client.post(reverse("learners:review_delete", args=[enrolled.pk]))
    assert not Review.objects.exists()
    assert CourseStats.objects.get(pk=enrolled.pk).review_count == 0


def test_course_page_lists_the_reviews_to_anyone(client, student, enrolled):
    reviewed(student=student, course=enrolled, rating=5, comment="Loved the exercises.")

    page = client.get(enrolled.url).content.decode()

    assert "Loved the exercises." in page
    assert reverse("learners:review", args=[enrolled.pk]) not in page  # no form for a visitor


# Refusals


def test_anonymous_visitor_is_sent_to_log_in(client, course):
    for url in (reverse("learners:dashboard"), reverse("learners:enrol", args=[course.pk])):
        response = client.post(url) if "enrol" in url else client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    assert not Enrollment.objects.exists()


def test_enrolling_twice_says_so_and_keeps_one_enrolment(client, student, enrolled):
    response = signed_in(client, student).post(reverse("learners:enrol", args=[enrolled.pk]))

    assert "already enrolled" in " ".join(messages_of(response))
    assert Enrollment.objects.count() == 1


def test_paid_course_is_not_enrolled_from_the_page(client, student, admin):
    course = published_course(admin=admin, price=Decimal("49.00"))

    response = signed_in(client, student).post(reverse("learners:enrol", args=[course.pk]))

    assert response.url == course.url
    assert messages_of(response) == [str(PaymentRequired.default_message)]
    assert not Enrollment.objects.exists()


def test_paid_course_page_explains_how_to_get_a_place(client, student, admin):
    course = published_course(admin=admin, price=Decimal("49.00"))

    page = signed_in(client, student).get(course.url).content.decode()

    assert "This is a paid course" in page
    assert reverse("learners:enrol", args=[course.pk]) not in page


def test_full_course_says_it_is_full(client, student, other_student, admin):
    course = published_course(admin=admin, enrollment_cap=1)
    services.enrollment_create(student=other_student, course=course)

    response = signed_in(client, student).post(reverse("learners:enrol", args=[course.pk]))

    assert messages_of(response) == ["This course is full."]
    assert Enrollment.objects.count() == 1


def test_unpublished_course_is_404(client, student):
    course = build_course()

    response = signed_in(client, student).post(reverse("learners:enrol", args=[course.pk]))

    assert response.status_code == 404


def test_owner_sees_no_enrol_button_on_their_course(client, course):
    page = signed_in(client, course.owner).get(course.url)

    assert page.status_code == 200
    assert reverse("learners:enrol", args=[course.pk]) not in page.content.decode()


def test_enrol_only_by_post(client, student, course):
    response = signed_in(client, student).get(reverse("learners:enrol", args=[course.pk]))

    assert response.status_code == 405


def test_completing_a_lesson_without_enrolment_is_403(client, student, course):
    lesson = lessons_of(course)[0]

    response = signed_in(client, student).post(reverse("learners:complete", args=[lesson.pk]))

    assert response.status_code == 403
    assert not LessonProgress.objects.exists()


def test_quiz_without_enrolment_is_403(client, student, course):
    quiz = lessons_of(course)[1]

    response = signed_in(client, student).post(reverse("learners:quiz", args=[quiz.pk]), quiz_form(quiz))

    assert response.status_code == 403
    assert not QuizAttempt.objects.exists()


def test_locked_lesson_of_a_sequential_course_shows_no_body_and_cannot_be_completed(client, student, admin):
    course = published_course(admin=admin, lessons_per_section=2, is_sequential=True)
    services.enrollment_create(student=student, course=course)
    first, second = lessons_of(course)
    client = signed_in(client, student)

    page = client.get(second.url).content.decode()
    assert "This lesson is locked" in page
    assert "Mark as complete" not in page
    response = client.post(reverse("learners:complete", args=[second.pk]))

    assert messages_of(response) == [f"Complete “{first.title}” first."]
    assert not LessonProgress.objects.filter(lesson=second).exists()


def test_reviewing_without_enrolment_is_403(client, student, course):
    response = signed_in(client, student).post(
        reverse("learners:review", args=[course.pk]), {"rating": "5", "comment": ""}
    )

    assert response.status_code == 403
    assert not Review.objects.exists()


@pytest.mark.parametrize("rating", ["0", "6", "five"])
def test_rating_outside_1_to_5_is_refused_with_a_message(client, student, enrolled, rating):
    response = signed_in(client, student).post(
        reverse("learners:review", args=[enrolled.pk]), {"rating": rating, "comment": ""}
    )

    assert response.status_code == 302
    assert messages_of(response)
    assert not Review.objects.exists()


def test_student_cannot_delete_someone_elses_review_from_the_page(client, student, other_student, enrolled):
    reviewed(student=student, course=enrolled, rating=5)

    response = signed_in(client, other_student).post(reverse("learners:review_delete", args=[enrolled.pk]))

    assert response.status_code == 404
    assert Review.objects.count() == 1


def test_leaving_a_course_one_is_not_in_is_404(client, other_student, enrolled):
    response = signed_in(client, other_student).post(reverse("learners:leave", args=[enrolled.pk]))

    assert response.status_code == 404
    assert Enrollment.objects.count() == 1


def test_course_taken_out_of_the_catalog_is_404_to_its_students(client, student, enrolled, admin):
    catalog_services.course_unpublish(course=enrolled, user=admin)

    assert signed_in(client, student).get(enrolled.url).status_code == 404
    assert client.get(reverse("learners:dashboard")).status_code == 200


def test_a_hidden_review_leaves_the_course_page_and_its_author_is_told(client, admin, student, enrolled):
    review = reviewed(student=student, course=enrolled, rating=1, comment="Rant about the host.")
    services.review_set_hidden(review=review, user=admin, hidden=True)

    assert "Rant about the host." not in client.get(enrolled.url).content.decode()
    own_page = signed_in(client, student).get(enrolled.url).content.decode()
    assert "An admin has hidden your review" in own_page


def test_an_unpublished_course_stays_in_my_learning_without_a_link_and_its_students_are_told(
    client, admin, student, other_student, enrolled, mailoutbox, django_capture_on_commit_callbacks
):
    services.enrollment_create(student=other_student, course=enrolled)
    course_url = enrolled.url

    with django_capture_on_commit_callbacks(execute=True):
        catalog_services.course_unpublish(course=enrolled, user=admin)

    page = signed_in(client, student).get(reverse("learners:dashboard")).content.decode()
    assert enrolled.title in page and "Unavailable" in page
    assert f'href="{course_url}"' not in page
    told = [email for email in mailoutbox if "is no longer available" in email.subject]
    assert sorted(email.to for email in told) == sorted([[student.email], [other_student.email]])
