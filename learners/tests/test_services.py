from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from pypdf import PdfReader

from catalog.models import CoursePage, CourseStats
from catalog.tests.factories import build_course
from lms_site.errors import (
    AlreadyEnrolled,
    AlreadyReviewed,
    Conflict,
    NotAllowed,
    NotFound,
    PaymentRequired,
    ReviewNeedsProgress,
    ValidationFailed,
)
from lms_site.tests.factories import StudentFactory

from .. import services
from ..models import Certificate, Enrollment, QuizAttempt, Review
from .factories import lessons_of, published_course, quiz_answers, reviewed

pytestmark = pytest.mark.django_db


def stats(course) -> CourseStats:
    return CourseStats.objects.get(pk=course.pk)


def set_course(course, **fields):
    CoursePage.objects.filter(pk=course.pk).update(**fields)
    return CoursePage.objects.get(pk=course.pk)


# Enrolment


def test_enrolling_in_a_free_course_counts_once(admin, student):
    course = published_course(admin=admin)
    enrollment = services.enrollment_create(student=student, course=course)
    assert enrollment.source == Enrollment.Source.SELF
    assert stats(course).enrollment_count == 1
    with pytest.raises(AlreadyEnrolled):
        services.enrollment_create(student=student, course=course)
    assert stats(course).enrollment_count == 1


def test_paid_course_needs_payment_unless_an_admin_grants_it(admin, student):
    course = set_course(published_course(admin=admin), price=Decimal("20.00"))
    with pytest.raises(PaymentRequired):
        services.enrollment_create(student=student, course=course)
    enrollment = services.enrollment_create(student=student, course=course, granted_by=admin)
    assert enrollment.source == Enrollment.Source.ADMIN and enrollment.granted_by == admin


def test_only_admins_grant(admin, student, other_student):
    course = published_course(admin=admin)
    with pytest.raises(NotAllowed):
        services.enrollment_create(student=student, course=course, granted_by=other_student)


def test_unpublished_course_is_not_found(admin, student):
    with pytest.raises(NotFound):
        services.enrollment_create(student=student, course=build_course())


def test_full_course_refuses_with_the_reason(admin, student, other_student):
    course = set_course(published_course(admin=admin), enrollment_cap=1)
    services.enrollment_create(student=other_student, course=course)
    with pytest.raises(Conflict, match="full"):
        services.enrollment_create(student=student, course=course)


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"enrollment_opens_at": timezone.now() + timedelta(days=2)}, "opens"),
        ({"enrollment_closes_at": timezone.now() - timedelta(days=1)}, "closed"),
    ],
)
def test_enrolment_window_refuses_with_the_reason(admin, student, fields, reason):
    course = set_course(published_course(admin=admin), **fields)
    with pytest.raises(Conflict, match=reason):
        services.enrollment_create(student=student, course=course)


def test_unenrolling_gives_the_seat_back(admin, student):
    course = published_course(admin=admin)
    enrollment = services.enrollment_create(student=student, course=course)
    services.enrollment_delete(enrollment=enrollment, user=student)
    assert stats(course).enrollment_count == 0


def test_another_student_cannot_unenrol_you(admin, student, other_student):
    enrollment = services.enrollment_create(student=student, course=published_course(admin=admin))
    with pytest.raises(NotAllowed):
        services.enrollment_delete(enrollment=enrollment, user=other_student)


# Studying


def test_progress_needs_an_enrolment(admin, student):
    lesson = lessons_of(published_course(admin=admin))[0]
    with pytest.raises(NotAllowed):
        services.lesson_complete(student=student, lesson=lesson)
    with pytest.raises(NotAllowed):
        services.progress_record(student=student, lesson=lesson, position_seconds=30)


def test_sequential_course_locks_a_lesson_until_the_one_before_is_complete(admin, student):
    course = set_course(published_course(admin=admin, lessons_per_section=2), is_sequential=True)
    first, second = lessons_of(course)
    services.enrollment_create(student=student, course=course)
    with pytest.raises(Conflict, match=first.title):
        services.lesson_complete(student=student, lesson=second)
    services.lesson_complete(student=student, lesson=first)
    assert services.lesson_complete(student=student, lesson=second).progress_percentage == 100


def test_position_is_remembered(admin, student):
    course = published_course(admin=admin)
    services.enrollment_create(student=student, course=course)
    progress = services.progress_record(student=student, lesson=lessons_of(course)[0], position_seconds=95)
    assert progress.position_seconds == 95
    assert Enrollment.objects.get(student=student).last_accessed_at is not None


def test_quiz_is_graded_on_the_server_and_a_pass_completes_the_lesson(admin, student):
    course = published_course(admin=admin, lesson_types=("quiz",))
    quiz = lessons_of(course)[0]
    services.enrollment_create(student=student, course=course)
    with pytest.raises(Conflict):
        services.lesson_complete(student=student, lesson=quiz)  # a quiz is completed by passing it

    failed, results = services.quiz_attempt_submit(
        student=student, lesson=quiz, answers=quiz_answers(quiz, right=False)
    )
    assert not failed.passed and failed.score == 0 and not any(results.values())
    passed, results = services.quiz_attempt_submit(student=student, lesson=quiz, answers=quiz_answers(quiz))
    assert passed.passed and passed.score == 100 and all(results.values())
    assert QuizAttempt.objects.count() == 2
    assert Enrollment.objects.get(student=student).progress_percentage == 100


@pytest.mark.parametrize("answers", [{"no-such-question": "x"}, "not an object"])
def test_quiz_answers_naming_unknown_questions_are_refused(admin, student, answers):
    course = published_course(admin=admin, lesson_types=("quiz",))
    services.enrollment_create(student=student, course=course)
    with pytest.raises(ValidationFailed):
        services.quiz_attempt_submit(student=student, lesson=lessons_of(course)[0], answers=answers)
    assert QuizAttempt.objects.count() == 0


def test_quiz_answers_naming_unknown_choices_are_refused(admin, student):
    course = published_course(admin=admin, lesson_types=("quiz",))
    quiz = lessons_of(course)[0]
    services.enrollment_create(student=student, course=course)
    answers = dict.fromkeys(quiz_answers(quiz), "no-such-choice")
    with pytest.raises(ValidationFailed):
        services.quiz_attempt_submit(student=student, lesson=quiz, answers=answers)


def test_completing_every_lesson_issues_exactly_one_certificate_with_a_pdf(
    admin, student, django_capture_on_commit_callbacks
):
    course = published_course(admin=admin, lessons_per_section=2)
    services.enrollment_create(student=student, course=course)
    first, last = lessons_of(course)
    assert services.lesson_complete(student=student, lesson=first).progress_percentage == 50
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = services.lesson_complete(student=student, lesson=last)
    services.lesson_complete(student=student, lesson=last)  # a double submission is harmless

    assert enrollment.completed_at is not None and enrollment.progress_percentage == 100
    certificate = Certificate.objects.get()
    assert stats(course).completion_count == 1
    certificate.refresh_from_db()
    text = PdfReader(certificate.pdf.open("rb")).pages[0].extract_text()
    assert student.get_full_name() in text and course.title in text and certificate.code in text


def test_an_enrolment_with_a_certificate_is_kept(admin, student):
    course = published_course(admin=admin)
    enrollment = services.enrollment_create(student=student, course=course)
    services.lesson_complete(student=student, lesson=lessons_of(course)[0])
    with pytest.raises(Conflict):
        services.enrollment_delete(enrollment=enrollment, user=student)


# Reviews


def test_reviews_keep_the_average_and_count_right(admin, student, other_student):
    course = published_course(admin=admin)
    for person, rating in ((student, 5), (other_student, 2)):
        services.enrollment_create(student=person, course=course)
        review = reviewed(student=person, course=course, rating=rating, comment="Fine")
    assert (stats(course).review_count, stats(course).average_rating) == (2, Decimal("3.50"))
    services.review_update(review=review, user=other_student, rating=4)
    assert stats(course).average_rating == Decimal("4.50")
    services.review_delete(review=review, user=admin)
    assert (stats(course).review_count, stats(course).average_rating) == (1, Decimal("5.00"))
    services.review_delete(review=course.reviews.get(), user=student)
    assert (stats(course).review_count, stats(course).rating_total, stats(course).average_rating) == (0, 0, 0)


def test_reviewing_needs_an_enrolment_and_happens_once(admin, student):
    course = published_course(admin=admin)
    with pytest.raises(NotAllowed):
        services.review_create(student=student, course=course, rating=4)
    services.enrollment_create(student=student, course=course)
    reviewed(student=student, course=course, rating=4)
    with pytest.raises(AlreadyReviewed):
        services.review_create(student=student, course=course, rating=5)


def test_reviewing_needs_a_completed_lesson(admin, student):
    course = published_course(admin=admin, lessons_per_section=2)
    services.enrollment_create(student=student, course=course)
    services.progress_record(student=student, lesson=lessons_of(course)[0], position_seconds=30)
    with pytest.raises(ReviewNeedsProgress):
        services.review_create(student=student, course=course, rating=5)
    assert (stats(course).review_count, course.reviews.count()) == (0, 0)

    services.lesson_complete(student=student, lesson=lessons_of(course)[0])

    assert services.review_create(student=student, course=course, rating=5).rating == 5
    assert stats(course).review_count == 1


@pytest.mark.parametrize("rating", [0, 6, "5", True, None])
def test_rating_must_be_one_to_five(admin, student, rating):
    course = published_course(admin=admin)
    services.enrollment_create(student=student, course=course)
    with pytest.raises(ValidationFailed):
        reviewed(student=student, course=course, rating=rating)


def test_nobody_edits_someone_elses_review(admin, student):
    course = published_course(admin=admin)
    services.enrollment_create(student=student, course=course)
    review = reviewed(student=student, course=course, rating=3)
    intruder = StudentFactory()
    with pytest.raises(NotAllowed):
        services.review_update(review=review, user=intruder, rating=1)
    with pytest.raises(NotAllowed):
        services.review_delete(review=review, user=intruder)


def test_a_hidden_review_leaves_the_rating_and_comes_back_when_shown(admin, student, other_student):
    course = published_course(admin=admin)
    for person in (student, other_student):
        services.enrollment_create(student=person, course=course)
    reviewed(student=student, course=course, rating=5)
    review = reviewed(student=other_student, course=course, rating=1)

    services.review_set_hidden(review=review, user=admin, hidden=True)
    services.review_set_hidden(review=review, user=admin, hidden=True)  # twice changes nothing more
    assert (stats(course).review_count, stats(course).average_rating) == (1, Decimal("5.00"))
    services.review_update(review=review, user=other_student, rating=2)  # its author still edits it
    assert (stats(course).review_count, stats(course).average_rating) == (1, Decimal("5.00"))

    services.review_set_hidden(review=review, user=admin, hidden=False)
    assert (stats(course).review_count, stats(course).average_rating) == (2, Decimal("3.50"))

    services.review_set_hidden(review=review, user=admin, hidden=True)
    services.review_delete(review=review, user=other_student)
    assert (stats(course).review_count, stats(course).average_rating) == (1, Decimal("5.00"))


def test_only_admins_hide_reviews(admin, student):
    course = published_course(admin=admin)
    services.enrollment_create(student=student, course=course)
    review = reviewed(student=student, course=course, rating=3)
    for intruder in (student, course.owner):
        with pytest.raises(NotAllowed):
            services.review_set_hidden(review=review, user=intruder, hidden=True)
    assert not Review.objects.get(pk=review.pk).is_hidden
