"""The demo learning data: built through the services, varied, and safe to seed again."""

from io import StringIO

import pytest
from django.core.management import call_command

from catalog.models import CourseStats

from .. import demo
from ..models import Certificate, Enrollment, LessonProgress, QuizAttempt, Review, Submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(django_capture_on_commit_callbacks):
    """The whole demo, as `manage.py seed_demo` runs it (learners.demo.seed is in DEMO_SEEDERS)."""
    with django_capture_on_commit_callbacks(execute=True):  # the certificate's PDF is rendered on commit
        call_command("seed_demo", stdout=StringIO())


def counts():
    return [
        model.objects.count()
        for model in (Enrollment, LessonProgress, QuizAttempt, Review, Certificate, Submission)
    ]


def progress_of(email, title):
    return Enrollment.objects.get(student__email=email, course__title=title).progress_percentage


def test_demo_students_are_at_every_stage_and_the_paid_course_is_granted(seeded):
    assert sorted(Enrollment.objects.values_list("progress_percentage", flat=True)) == [10, 30, 40, 50, 100]
    assert progress_of("student@example.com", "Python from zero") == 100
    assert progress_of("student2@example.com", "Python from zero") == 30  # its project awaits a grade
    assert progress_of("student2@example.com", "Public speaking") == 40  # its project did not pass
    paid = Enrollment.objects.get(course__title="Photography fundamentals")
    assert (paid.source, paid.granted_by.email) == (Enrollment.Source.ADMIN, "admin@example.com")


def test_demo_completion_has_a_certificate_with_its_pdf(seeded):
    certificate = Certificate.objects.select_related("enrollment__course").get()

    assert certificate.enrollment.course.title == "Python from zero"
    assert certificate.enrollment.completed_at is not None
    with certificate.pdf.open("rb") as pdf:
        assert pdf.read(5) == b"%PDF-"


def test_demo_quiz_is_failed_once_then_passed(seeded):
    attempts = QuizAttempt.objects.filter(
        enrollment__course__title="Python from zero", enrollment__student__email="student@example.com"
    ).order_by("created_at")

    assert [attempt.passed for attempt in attempts if attempt.lesson.title == "Check your understanding"] == [
        False,
        True,
    ]


def test_demo_has_handed_in_work_in_every_state_graded_by_the_courses_instructors(seeded):
    work = Submission.objects.select_related("enrollment__course__owner", "graded_by")

    assert set(work.values_list("status", flat=True)) == set(Submission.Status.values)
    assert work.filter(is_late=True, status=Submission.Status.PASSED).exists()
    assert all(each.graded_by == each.enrollment.course.owner for each in work if each.is_graded)
    assert all(each.files.exists() for each in work)
    awaiting = work.get(status=Submission.Status.SUBMITTED)
    assert (awaiting.enrollment.student.email, awaiting.number) == ("student2@example.com", 2)


def test_demo_reviews_have_different_ratings_counted_in_the_stats(seeded):
    assert sorted(Review.objects.values_list("rating", flat=True)) == [2, 4, 5]
    for review in Review.objects.all():
        stats = CourseStats.objects.get(pk=review.course_id)
        assert (stats.review_count, stats.rating_total) == (1, review.rating)


def test_demo_is_idempotent(seeded, django_capture_on_commit_callbacks):
    before = counts()
    output = StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        demo.seed(output)

    assert counts() == before
    assert output.getvalue() == ""
    assert CourseStats.objects.filter(course__title="Python from zero").get().enrollment_count == 2
