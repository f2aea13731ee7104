"""Races between requests: real threads, each on its own PostgreSQL connection, released together.

The services' row locks and F() updates are what keep the numbers right here; SQLite serialises
every write, so it cannot show a race and these tests need PostgreSQL (CI runs them there).
"""

import threading
from decimal import Decimal
from functools import partial

from django.core.files.base import ContentFile
from django.db import connection
from wagtail.models import PageLogEntry

from catalog import services as catalog_services
from catalog.models import ChangeStatus, CoursePage, CourseStats, LessonPage
from catalog.tests.factories import changed_course
from lms_site.errors import Conflict, DomainError, InvalidTransition
from lms_site.tests.factories import AdminFactory, StudentFactory

from .. import services
from ..models import Certificate, Enrollment, LessonProgress, QuizAttempt, Submission, SubmissionFile
from .factories import first_lesson_done, lessons_of, published_course, quiz_answers
from .marks import committed_on_postgresql

pytestmark = committed_on_postgresql(
    why="races need concurrent connections with row locks; run with DATABASE_URL on PostgreSQL"
)

JOIN_TIMEOUT_SECONDS = 30


def run_together(*calls):
    """Run each call in its own thread, all released at once; return what each returned or raised.

    Domain errors are outcomes (the losing side of a race); anything else fails the test.
    """
    barrier = threading.Barrier(len(calls))
    outcomes, failures = [None] * len(calls), []

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except DomainError as exc:
            outcomes[index] = exc
        except Exception as exc:  # handed to the test's thread below
            failures.append(exc)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(JOIN_TIMEOUT_SECONDS)
    assert not any(thread.is_alive() for thread in threads), "a thread is still waiting: a deadlock?"
    if failures:
        raise failures[0]
    return outcomes


def fresh(instance):
    """A copy of the row for one thread: requests never share model instances."""
    return type(instance)._default_manager.get(pk=instance.pk)


def stats(course) -> CourseStats:
    return CourseStats.objects.get(pk=course.pk)


def test_simultaneous_enrolments_of_one_student_make_one_enrolment(admin, student):
    course = published_course(admin=admin)

    outcomes = run_together(
        *(partial(services.enrollment_create, student=fresh(student), course=fresh(course)) for _ in range(2))
    )

    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["AlreadyEnrolled", "Enrollment"]
    assert Enrollment.objects.filter(student=student, course=course).count() == 1
    assert stats(course).enrollment_count == 1


def test_simultaneous_enrolments_of_many_students_are_each_counted(admin):
    course = published_course(admin=admin)
    students = StudentFactory.create_batch(8)

    outcomes = run_together(
        *(partial(services.enrollment_create, student=each, course=fresh(course)) for each in students)
    )

    assert all(isinstance(outcome, Enrollment) for outcome in outcomes), outcomes
    assert Enrollment.objects.filter(course=course).count() == 8
    assert stats(course).enrollment_count == 8


def test_simultaneous_enrolments_for_the_last_seat_admit_exactly_one(admin, student):
    course = published_course(admin=admin)
    services.enrollment_create(student=student, course=course)
    CoursePage.objects.filter(pk=course.pk).update(enrollment_cap=2)
    candidates = StudentFactory.create_batch(6)

    outcomes = run_together(
        *(partial(services.enrollment_create, student=each, course=fresh(course)) for each in candidates)
    )

    admitted = [outcome for outcome in outcomes if isinstance(outcome, Enrollment)]
    refused = [outcome for outcome in outcomes if not isinstance(outcome, Enrollment)]
    assert len(admitted) == 1
    assert all(type(error) is Conflict and "full" in error.message for error in refused), refused
    assert Enrollment.objects.filter(course=course).count() == 2
    assert stats(course).enrollment_count == 2


def test_simultaneous_completions_of_the_last_lesson_issue_one_certificate(admin, student):
    course = published_course(admin=admin, lessons_per_section=2)
    services.enrollment_create(student=student, course=course)
    first, _last = lessons_of(course)
    services.lesson_complete(student=student, lesson=first)

    outcomes = run_together(
        *(
            partial(services.lesson_complete, student=fresh(student), lesson=lessons_of(course)[1])
            for _ in range(2)
        )
    )

    assert [outcome.progress_percentage for outcome in outcomes] == [100, 100]
    assert Certificate.objects.filter(enrollment__student=student).count() == 1
    assert stats(course).completion_count == 1
    assert Enrollment.objects.get(student=student).completed_at is not None


def test_simultaneous_completions_of_every_lesson_complete_the_course_once(admin, student):
    course = published_course(admin=admin, lessons_per_section=4)
    services.enrollment_create(student=student, course=course)

    outcomes = run_together(
        *(
            partial(services.lesson_complete, student=fresh(student), lesson=lesson)
            for lesson in lessons_of(course)
        )
    )

    assert max(outcome.progress_percentage for outcome in outcomes) == 100
    assert Enrollment.objects.get(student=student).progress_percentage == 100
    assert LessonProgress.objects.filter(status=LessonProgress.Status.COMPLETED).count() == 4
    assert Certificate.objects.filter(enrollment__student=student).count() == 1
    assert stats(course).completion_count == 1


def test_simultaneous_reviews_keep_count_total_and_average_exact(admin):
    course = published_course(admin=admin)
    ratings = [5, 4, 3, 2, 1, 5, 4, 4]
    reviewers = StudentFactory.create_batch(len(ratings))
    for reviewer in reviewers:
        services.enrollment_create(student=reviewer, course=course)
        first_lesson_done(reviewer, course)

    outcomes = run_together(
        *(
            partial(services.review_create, student=reviewer, course=fresh(course), rating=rating)
            for reviewer, rating in zip(reviewers, ratings, strict=True)
        )
    )

    assert not [outcome for outcome in outcomes if isinstance(outcome, DomainError)]
    counters = stats(course)
    assert (counters.review_count, counters.rating_total) == (8, 28)
    assert counters.average_rating == Decimal("3.50")


def test_simultaneous_passing_quiz_submissions_keep_both_attempts_and_complete_once(admin, student):
    course = published_course(admin=admin, lesson_types=("quiz",))
    services.enrollment_create(student=student, course=course)
    quiz = lessons_of(course)[0]

    outcomes = run_together(
        *(
            partial(services.quiz_attempt_submit, student=fresh(student), lesson=fresh(quiz), answers=answers)
            for answers in (quiz_answers(quiz), quiz_answers(quiz))
        )
    )

    assert all(attempt.passed for attempt, _results in outcomes)
    assert QuizAttempt.objects.filter(enrollment__student=student).count() == 2
    assert LessonProgress.objects.get(enrollment__student=student).status == LessonProgress.Status.COMPLETED
    assert stats(course).completion_count == 1
    assert Certificate.objects.filter(enrollment__student=student).count() == 1


# Handed-in work


def work_files():
    """A fresh upload for each thread: requests never share file objects."""
    return [ContentFile(b"%PDF-1.4 my essay", name="essay.pdf")]


def test_a_double_submit_makes_one_attempt(admin, student):
    course = published_course(admin=admin, lesson_types=("assignment",))
    services.enrollment_create(student=student, course=course)
    assignment = lessons_of(course)[0]

    outcomes = run_together(
        *(
            lambda: services.submission_create(
                student=fresh(student), lesson=fresh(assignment), text="Mine.", files=work_files()
            )
            for _ in range(2)
        )
    )

    assert sorted(is_new for _submission, is_new in outcomes) == [False, True]
    assert len({submission.pk for submission, _is_new in outcomes}) == 1
    assert (Submission.objects.count(), SubmissionFile.objects.count()) == (1, 1)


def test_simultaneous_gradings_grade_once(admin, instructor, student):
    course = published_course(admin=admin, owner=instructor, lesson_types=("assignment",))
    services.enrollment_create(student=student, course=course)
    work, _new = services.submission_create(student=student, lesson=lessons_of(course)[0], text="Mine.")

    outcomes = run_together(
        partial(services.submission_grade, submission=fresh(work), grader=fresh(instructor), passed=True),
        partial(services.submission_grade, submission=fresh(work), grader=fresh(admin), passed=False),
    )

    graded = [outcome for outcome in outcomes if isinstance(outcome, Submission)]
    refused = [outcome for outcome in outcomes if not isinstance(outcome, Submission)]
    assert len(graded) == 1
    assert [(type(error), error.message) for error in refused] == [
        (Conflict, "This attempt is graded already.")
    ]
    assert Submission.objects.get().status == graded[0].status
    assert Certificate.objects.count() == (1 if graded[0].passed else 0)


def test_the_grade_that_completes_the_course_issues_exactly_one_certificate(admin, instructor, student):
    course = published_course(
        admin=admin, owner=instructor, lessons_per_section=2, lesson_types=("text", "assignment")
    )
    services.enrollment_create(student=student, course=course)
    text, assignment = lessons_of(course)
    work, _new = services.submission_create(student=student, lesson=assignment, text="Mine.")

    run_together(
        partial(services.lesson_complete, student=fresh(student), lesson=fresh(text)),
        partial(services.submission_grade, submission=fresh(work), grader=fresh(instructor), passed=True),
    )

    enrollment = Enrollment.objects.get(student=student)
    assert (enrollment.progress_percentage, enrollment.is_complete) == (100, True)
    assert Certificate.objects.filter(enrollment=enrollment).count() == 1
    assert stats(course).completion_count == 1


def test_simultaneous_approvals_of_a_course_change_put_it_live_once(admin):
    course = changed_course(admin)
    catalog_services.course_submit(course=course, user=course.owner)

    outcomes = run_together(
        *(
            partial(catalog_services.course_approve, course=fresh(course), user=user)
            for user in (admin, AdminFactory())
        )
    )

    winners = [outcome for outcome in outcomes if isinstance(outcome, CoursePage)]
    assert len(winners) == 1 and any(isinstance(outcome, InvalidTransition) for outcome in outcomes)
    live = CoursePage.objects.get(pk=course.pk)
    assert (live.title, live.lifecycle.change_status) == ("Second edition", ChangeStatus.NONE)
    assert LessonPage.objects.descendant_of(live).get().title == "Rewritten lesson"
    assert PageLogEntry.objects.filter(page=course, action="catalog.course.approve_change").count() == 1
