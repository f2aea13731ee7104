"""The bulk data set of `seed_demo --scale`: a valid page tree, counters that match their rows, and data
the site and the services work on as on any other."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Q, Sum
from wagtail.models import Page

from catalog.models import CoursePage, CourseStats, CourseStatus
from catalog.search import search_courses
from lms_site.demo import DEMO_PASSWORD
from lms_site.models import User

from .. import scale, services
from ..models import Certificate, Enrollment, LessonProgress, QuizAttempt, Review
from .factories import lessons_of, quiz_answers

pytestmark = pytest.mark.django_db

SMALL = scale.Unit(courses=6, instructors=2, students=12, published_share=0.7, review_share=0.5)


@pytest.fixture
def scaled():
    call_command("seed_demo", stdout=StringIO())
    scale.seed(scale=2, stdout=StringIO(), unit=SMALL)
    return CoursePage.objects.filter(slug__startswith="scale-course-")


def test_sizes_follow_the_scale(scaled):
    assert scaled.count() == 12
    assert User.objects.filter(email__endswith=f"@{scale.EMAIL_DOMAIN}", role="student").count() == 24
    assert Enrollment.objects.filter(course__in=scaled).count() == 48  # two each
    per_course = SMALL.sections_per_course * SMALL.lessons_per_section
    assert LessonProgress.objects.filter(enrollment__course__in=scaled).count() >= 48 * per_course // 2


def test_the_page_tree_is_valid_and_served(client, scaled):
    assert all(not problems for problems in Page.find_problems())
    published = scaled.filter(lifecycle__status=CourseStatus.PUBLISHED)
    assert published.exists() and scaled.exclude(lifecycle__status=CourseStatus.PUBLISHED).exists()
    assert client.get(published.first().url).status_code == 200
    assert client.get(scaled.exclude(lifecycle__status=CourseStatus.PUBLISHED).first().url).status_code == 404
    assert published.first().title in client.get("/courses/", {"q": published.first().title}).content.decode()


def test_bulk_written_courses_are_found_by_the_catalog_search(scaled):
    course = scaled.filter(lifecycle__status=CourseStatus.PUBLISHED).first()

    assert course in search_courses(scaled, course.title)


def test_counters_match_the_rows_they_count(scaled):
    for stats in CourseStats.objects.filter(course__in=scaled).select_related("course"):
        enrolments = Enrollment.objects.filter(course=stats.course)
        ratings = Review.objects.filter(course=stats.course).aggregate(count=Count("pk"), total=Sum("rating"))
        assert stats.enrollment_count == enrolments.count()
        assert stats.completion_count == enrolments.filter(completed_at__isnull=False).count()
        assert (stats.review_count, stats.rating_total) == (ratings["count"], ratings["total"] or 0)
    assert Certificate.objects.filter(enrollment__course__in=scaled).count() == (
        Enrollment.objects.filter(course__in=scaled, completed_at__isnull=False).count()
    )


def test_progress_percentages_match_completed_lessons(scaled):
    per_course = SMALL.sections_per_course * SMALL.lessons_per_section
    enrolments = Enrollment.objects.filter(course__in=scaled).annotate(
        done=Count("lesson_progress", filter=Q(lesson_progress__status=LessonProgress.Status.COMPLETED))
    )
    for enrolment in enrolments:
        assert round(float(enrolment.progress_percentage), 1) == round(100 * enrolment.done / per_course, 1)


def test_scale_students_sign_in_and_the_services_carry_on_from_the_data(client, scaled):
    enrolment = (
        Enrollment.objects.filter(course__in=scaled, completed_at__isnull=True)
        .select_related("student")
        .first()
    )
    student = enrolment.student
    assert student.check_password(DEMO_PASSWORD)
    assert student.emailaddress_set.get().verified
    next_lesson = next(
        lesson
        for lesson in lessons_of(enrolment.course)
        if not LessonProgress.objects.filter(
            enrollment=enrolment, lesson=lesson, status=LessonProgress.Status.COMPLETED
        ).exists()
    )

    if next_lesson.quiz:
        services.quiz_attempt_submit(student=student, lesson=next_lesson, answers=quiz_answers(next_lesson))
    else:
        services.lesson_complete(student=student, lesson=next_lesson)
    updated = Enrollment.objects.get(pk=enrolment.pk)

    assert updated.progress_percentage > enrolment.progress_percentage
    client.force_login(student)
    assert client.get("/learning/").status_code == 200


def test_completed_quizzes_were_passed(scaled):
    """The services complete a quiz lesson only once an attempt passes; the bulk data says the same."""
    completed_quizzes = LessonProgress.objects.filter(
        enrollment__course__in=scaled, lesson__lesson_type="quiz", status=LessonProgress.Status.COMPLETED
    )
    assert completed_quizzes.exists()
    for progress in completed_quizzes:
        attempt = QuizAttempt.objects.get(enrollment=progress.enrollment, lesson=progress.lesson)
        assert services.grade(progress.lesson.specific.quiz, attempt.answers) == dict.fromkeys(
            attempt.answers, True
        )


def test_a_second_run_adds_nothing(scaled):
    before = (Page.objects.count(), User.objects.count(), Enrollment.objects.count())

    output = StringIO()
    scale.seed(scale=2, stdout=output, unit=SMALL)

    assert (Page.objects.count(), User.objects.count(), Enrollment.objects.count()) == before
    assert "already" in output.getvalue()


def test_the_command_reports_what_it_wrote(scaled):
    output = StringIO()

    call_command("seed_demo", scale=1, stdout=output)

    assert "scale data is there already" in output.getvalue()
