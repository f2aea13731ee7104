"""The learner's pages cost the same number of queries however many courses, lessons or reviews."""

import pytest
from django.urls import reverse

from catalog.tests.test_page_queries import queries_for
from lms_site.tests.factories import StudentFactory

from .. import services
from .factories import lessons_of, published_course, reviewed

pytestmark = pytest.mark.django_db

BIG = {"sections": 3, "lessons_per_section": 4, "lesson_types": ("video", "text", "quiz", "assignment")}


def study(student, course, *, finish=False):
    """The first lesson, or every one but the quizzes, an assignment through a passing grade."""
    services.enrollment_create(student=student, course=course)
    lessons = lessons_of(course)
    for lesson in lessons if finish else lessons[:1]:
        if lesson.assignment is not None:
            work, _new = services.submission_create(student=student, lesson=lesson, text="Mine.")
            services.submission_grade(submission=work, grader=course.owner, passed=True)
        elif lesson.quiz is None:
            services.lesson_complete(student=student, lesson=lesson)


@pytest.mark.parametrize("finish", [False, True])
def test_dashboard_queries_do_not_grow_with_enrolments(client, admin, student, finish):
    client.force_login(student)
    # graded work in the first course too: grades are read in two queries once a course has any
    study(
        student,
        published_course(admin=admin, lessons_per_section=2, lesson_types=("text", "assignment")),
        finish=finish,
    )
    one = queries_for(client, reverse("learners:dashboard"))

    for _ in range(4):
        study(student, published_course(admin=admin, **BIG), finish=finish)
    five = queries_for(client, reverse("learners:dashboard"))

    assert one == five


@pytest.fixture
def studied(admin, student, client):
    """A one-lesson course and a twelve-lesson one, both begun by the signed-in student."""
    small = published_course(admin=admin)
    large = published_course(admin=admin, owner=small.owner, **BIG)
    for course in (small, large):
        study(student, course)
    client.force_login(student)
    return small, large


def test_course_page_queries_of_a_learner_do_not_grow_with_lessons_or_reviews(client, student, studied):
    small, large = studied
    reviewed(student=student, course=small, rating=5)
    reviewed(student=student, course=large, rating=3)
    for reviewer in StudentFactory.create_batch(5):
        services.enrollment_create(student=reviewer, course=large)
        reviewed(student=reviewer, course=large, rating=4, comment="Good.")

    assert queries_for(client, small.url) == queries_for(client, large.url)


def test_lesson_page_queries_of_a_learner_do_not_grow_with_the_course(client, studied):
    small, large = studied
    assert queries_for(client, lessons_of(small)[0].url) == queries_for(client, lessons_of(large)[5].url)
