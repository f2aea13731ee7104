"""The analytics endpoints: who may read which figures, their shape, and their constant cost."""

import pytest
from django.urls import reverse

from catalog.models import CourseStatus
from catalog.tests.factories import course_in
from lms_site.tests.factories import InstructorFactory, StudentFactory

from .. import services
from .factories import lessons_of, published_course, reviewed

pytestmark = pytest.mark.django_db

INSTRUCTOR_URL = reverse("api:analytics-instructor")
ADMIN_URL = reverse("api:analytics-admin")
# Instructor: courses by status, totals, two series, grading (counts, the median's count and its middle
# rows), the course rows. Admin: users by role, sign-ups, courses by status, request and course decisions
# (counts, then each median's count and, when there are decisions, its middle rows: courses have some
# here, requests none), totals, two series, grading, two top fives.
INSTRUCTOR_QUERIES = 8
ADMIN_QUERIES = 16


def get(api_client, user, url, **params):
    if user is not None:
        api_client.force_authenticate(user=user)
    return api_client.get(url, params)


def error_code(response):
    return response.json()["error"]["code"]


def busy_course(admin, owner, *, students: int):
    """Each student completes the reading, has the assignment graded passing and reviews the course."""
    course = published_course(
        admin=admin, owner=owner, lessons_per_section=2, lesson_types=("text", "assignment")
    )
    reading, assignment = lessons_of(course)
    for student in StudentFactory.create_batch(students):
        services.enrollment_create(student=student, course=course)
        services.lesson_complete(student=student, lesson=reading)
        work, _new = services.submission_create(student=student, lesson=assignment, text="Mine.")
        services.submission_grade(submission=work, grader=owner, passed=True)
        reviewed(student=student, course=course, rating=4)
    return course


def test_instructor_reads_their_own_figures(api_client, admin, instructor):
    busy_course(admin, instructor, students=2)
    busy_course(admin, InstructorFactory(), students=1)

    data = get(api_client, instructor, INSTRUCTOR_URL, days=7).json()["data"]

    assert (data["enrollments"], data["completions"], data["reviews"]) == (2, 2, 2)
    assert (data["completion_rate"], data["average_rating"]) == (1.0, 4.0)
    assert len(data["enrollments_per_day"]) == 7
    assert data["enrollments_per_day"][-1]["count"] == 2
    assert [row["enrollments"] for row in data["courses"]] == [2]


def test_admin_reads_one_instructor_or_every_course(api_client, admin, instructor):
    busy_course(admin, instructor, students=2)
    busy_course(admin, InstructorFactory(), students=1)

    one = get(api_client, admin, INSTRUCTOR_URL, instructor=str(instructor.pk)).json()["data"]
    every = get(api_client, admin, INSTRUCTOR_URL).json()["data"]

    assert (one["enrollments"], every["enrollments"]) == (2, 3)


def test_instructor_cannot_read_another_instructors_figures(api_client, instructor):
    response = get(api_client, instructor, INSTRUCTOR_URL, instructor=str(InstructorFactory().pk))

    assert (response.status_code, error_code(response)) == (403, "permission_denied")


@pytest.mark.parametrize("url", [INSTRUCTOR_URL, ADMIN_URL])
def test_student_gets_403(api_client, student, url):
    response = get(api_client, student, url)

    assert (response.status_code, error_code(response)) == (403, "permission_denied")


@pytest.mark.parametrize("url", [INSTRUCTOR_URL, ADMIN_URL])
def test_anonymous_gets_401(api_client, url):
    assert get(api_client, None, url).status_code == 401


def test_instructor_cannot_read_the_platform_figures(api_client, instructor):
    response = get(api_client, instructor, ADMIN_URL)

    assert (response.status_code, error_code(response)) == (403, "permission_denied")


def test_unknown_instructor_is_404(api_client, admin):
    response = get(api_client, admin, INSTRUCTOR_URL, instructor="00000000-0000-0000-0000-000000000000")

    assert (response.status_code, error_code(response)) == (404, "not_found")


@pytest.mark.parametrize("days", ["0", "367", "soon"])
def test_period_outside_1_to_366_days_is_400(api_client, admin, days):
    response = get(api_client, admin, ADMIN_URL, days=days)

    assert (response.status_code, error_code(response)) == (400, "validation_error")
    assert "days" in response.json()["error"]["details"]


def test_admin_figures_shape(api_client, admin, instructor):
    busy_course(admin, instructor, students=1)
    course_in(CourseStatus.PENDING, admin=admin, owner=instructor)

    data = get(api_client, admin, ADMIN_URL, days=14).json()["data"]

    assert len(data["signups_per_day"]) == 14
    assert data["pending_approvals"] == {"courses": 1, "instructor_requests": 0}
    assert data["course_decisions"]["approved"] == 1
    assert isinstance(data["course_decisions"]["median_time_to_decision"], float)
    assert data["instructor_request_decisions"]["median_time_to_decision"] is None
    assert data["top_courses_by_rating"][0]["average_rating"] == 4.0
    assert (data["grading"]["awaiting_grading"], data["grading"]["graded"]) == (0, 1)
    assert isinstance(data["grading"]["median_time_to_grade"], float)


@pytest.mark.parametrize(
    ("url", "queries"), [(INSTRUCTOR_URL, INSTRUCTOR_QUERIES), (ADMIN_URL, ADMIN_QUERIES)]
)
@pytest.mark.parametrize("courses", [1, 4])
def test_analytics_queries_do_not_grow_with_the_data(
    api_client, admin, instructor, django_assert_num_queries, url, queries, courses
):
    for _ in range(courses):
        busy_course(admin, instructor, students=courses)
    api_client.force_authenticate(user=admin if url == ADMIN_URL else instructor)

    with django_assert_num_queries(queries):  # the cache is empty: every figure is computed
        assert api_client.get(url).status_code == 200
