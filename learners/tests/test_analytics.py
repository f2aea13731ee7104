"""Every analytics figure against data built by hand, including the empty and the undefined."""

import time
from datetime import date, datetime, timedelta
from datetime import time as clock

import pytest
from django.utils import timezone

from catalog import services as catalog_services
from catalog.models import CourseStatus
from catalog.tests.factories import build_course, course_in
from lms_site import services as people_services
from lms_site.models import InstructorRequest
from lms_site.tests.factories import InstructorFactory, StudentFactory

from .. import analytics, services
from ..models import Enrollment, Submission
from .factories import lessons_of, published_course, reviewed

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 20)


def at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, clock(hour), tzinfo=timezone.get_current_timezone())


def enrol(student, course, *, on: date, complete: date | None = None) -> Enrollment:
    enrollment = services.enrollment_create(student=student, course=course)
    if complete:
        for lesson in lessons_of(course):
            services.lesson_complete(student=student, lesson=lesson)
        Enrollment.objects.filter(pk=enrollment.pk).update(completed_at=at(complete))
    Enrollment.objects.filter(pk=enrollment.pk).update(enrolled_at=at(on))
    return enrollment


@pytest.fixture
def teacher():
    return InstructorFactory()


@pytest.fixture
def taught(admin, teacher):
    """Two published courses of `teacher`, a draft and a pending one; another instructor's course."""
    python = published_course(admin=admin, owner=teacher, title="Python", lessons_per_section=2)
    sql = published_course(admin=admin, owner=teacher, title="SQL", lessons_per_section=2)
    build_course(owner=teacher, title="Draft")
    course_in(CourseStatus.PENDING, admin=admin, owner=teacher, title="Waiting")
    elsewhere = published_course(admin=admin, title="Elsewhere", lessons_per_section=2)
    ann, bob, cy = StudentFactory.create_batch(3)
    enrol(ann, python, on=TODAY - timedelta(days=2), complete=TODAY)
    enrol(bob, python, on=TODAY - timedelta(days=2))
    enrol(cy, python, on=TODAY)
    enrol(ann, sql, on=TODAY - timedelta(days=10))  # before a 7-day window
    enrol(bob, elsewhere, on=TODAY)
    reviewed(student=ann, course=python, rating=5)
    reviewed(student=bob, course=python, rating=2)
    reviewed(student=ann, course=sql, rating=4)
    reviewed(student=bob, course=elsewhere, rating=1)
    return {"python": python, "sql": sql}


def test_instructor_figures_count_only_their_courses(teacher, taught):
    figures = analytics.instructor_analytics(instructor=teacher, days=7, today=TODAY)

    assert figures["courses_by_status"] == {
        "draft": 1,
        "pending": 1,
        "approved": 0,
        "rejected": 0,
        "published": 2,
    }
    assert (figures["enrollments"], figures["completions"], figures["reviews"]) == (4, 1, 3)
    assert figures["completion_rate"] == 1 / 4
    assert figures["average_rating"] == pytest.approx((5 + 2 + 4) / 3)


def test_instructor_series_fill_quiet_days_with_zero(teacher, taught):
    figures = analytics.instructor_analytics(instructor=teacher, days=7, today=TODAY)

    enrolments = dict(figures["enrollments_per_day"])
    assert list(enrolments) == [TODAY - timedelta(days=n) for n in range(6, -1, -1)]
    assert enrolments[TODAY - timedelta(days=2)] == 2
    assert enrolments[TODAY] == 1
    assert sum(enrolments.values()) == 3  # the SQL enrolment is ten days old
    assert dict(figures["completions_per_day"])[TODAY] == 1


def test_instructor_per_course_breakdown(teacher, taught):
    rows = {row["title"]: row for row in analytics.instructor_analytics(instructor=teacher)["courses"]}

    assert list(rows) == ["Draft", "Python", "SQL", "Waiting"]
    assert rows["Python"] | {"id": None} == {
        "id": None,
        "title": "Python",
        "status": "published",
        "enrollments": 3,
        "completions": 1,
        "completion_rate": 1 / 3,
        "reviews": 2,
        "average_rating": 3.5,
    }
    assert (rows["Draft"]["completion_rate"], rows["Draft"]["average_rating"]) == (None, None)


def test_instructor_without_courses_has_zeros_and_no_rates(teacher):
    figures = analytics.instructor_analytics(instructor=teacher, days=3, today=TODAY)

    assert figures["courses_by_status"] == dict.fromkeys(CourseStatus.values, 0)
    assert (figures["enrollments"], figures["completions"], figures["reviews"]) == (0, 0, 0)
    assert (figures["completion_rate"], figures["average_rating"]) == (None, None)
    assert figures["enrollments_per_day"] == [(TODAY - timedelta(days=n), 0) for n in (2, 1, 0)]
    assert figures["courses"] == []


def test_admin_figures_cover_the_platform(admin, teacher, taught):
    figures = analytics.admin_analytics(days=7, today=TODAY)

    assert (figures["enrollments"], figures["completions"], figures["reviews"]) == (5, 1, 4)
    assert figures["average_rating"] == pytest.approx((5 + 2 + 4 + 1) / 4)
    assert figures["courses_by_status"]["published"] == 3
    assert figures["pending_approvals"] == {"courses": 1, "instructor_requests": 0}
    assert figures["users_by_role"]["instructor"] == 2
    assert [row["title"] for row in figures["top_courses_by_enrollment"]] == ["Python", "Elsewhere", "SQL"]
    assert [row["title"] for row in figures["top_courses_by_rating"]] == ["SQL", "Python", "Elsewhere"]


def test_top_courses_by_rating_leave_out_unreviewed_and_unpublished_courses(admin):
    published_course(admin=admin, title="Unreviewed")
    build_course(title="Draft")

    figures = analytics.admin_analytics(days=7, today=TODAY)

    assert figures["top_courses_by_rating"] == []
    assert [row["title"] for row in figures["top_courses_by_enrollment"]] == ["Unreviewed"]


def test_course_decisions_rate_and_median_time(admin, teacher):
    approved = course_in(CourseStatus.APPROVED, admin=admin, owner=teacher, title="A")
    rejected = course_in(CourseStatus.REJECTED, admin=admin, owner=teacher, title="B")
    catalog_services.course_submit(course=rejected, user=teacher)  # resubmitted: waiting again
    third = course_in(CourseStatus.APPROVED, admin=admin, owner=teacher, title="C")
    _decided_after(approved, hours=2)
    _decided_after(third, hours=6)

    decisions = analytics.admin_analytics(days=7, today=TODAY)["course_decisions"]

    assert (decisions["approved"], decisions["rejected"]) == (2, 1)
    assert decisions["approval_rate"] == 2 / 3
    assert decisions["median_time_to_decision"] == timedelta(hours=4)  # the resubmitted one is undecided


def _decided_after(course, *, hours):
    lifecycle = course.lifecycle
    type(lifecycle).objects.filter(pk=lifecycle.pk).update(
        submitted_at=at(TODAY), reviewed_at=at(TODAY) + timedelta(hours=hours)
    )


def test_instructor_request_decisions_rate_and_median_time(admin):
    for hours, approve in [(1, True), (3, False), (8, True)]:
        request = people_services.instructor_request_submit(applicant=StudentFactory(), motivation="I teach.")
        if approve:
            people_services.instructor_request_approve(instructor_request=request, reviewer=admin)
        else:
            people_services.instructor_request_reject(
                instructor_request=request, reviewer=admin, reason="Later."
            )
        InstructorRequest.objects.filter(pk=request.pk).update(
            created_at=at(TODAY), reviewed_at=at(TODAY) + timedelta(hours=hours)
        )
    people_services.instructor_request_submit(applicant=StudentFactory(), motivation="Me too.")

    decisions = analytics.admin_analytics(days=7, today=TODAY)["instructor_request_decisions"]

    assert (decisions["pending"], decisions["approved"], decisions["rejected"]) == (1, 2, 1)
    assert decisions["approval_rate"] == 2 / 3
    assert decisions["median_time_to_decision"] == timedelta(hours=3)


def test_no_decisions_have_no_rate_and_no_median(admin):
    figures = analytics.admin_analytics(days=7, today=TODAY)

    for decisions in (figures["course_decisions"], figures["instructor_request_decisions"]):
        assert (decisions["approval_rate"], decisions["median_time_to_decision"]) == (None, None)


def test_grading_figures_count_waiting_and_graded_work_and_the_median_time_to_grade(admin, teacher):
    course = published_course(admin=admin, owner=teacher, lesson_types=("assignment",))
    elsewhere = published_course(admin=admin, lesson_types=("assignment",))
    for hours, grade in [(1, True), (5, False), (9, True), (None, None)]:
        student = StudentFactory()
        services.enrollment_create(student=student, course=course)
        work, _new = services.submission_create(student=student, lesson=lessons_of(course)[0], text="Mine.")
        if grade is not None:
            services.submission_grade(submission=work, grader=teacher, passed=grade)
            Submission.objects.filter(pk=work.pk).update(
                submitted_at=at(TODAY), graded_at=at(TODAY) + timedelta(hours=hours)
            )
    services.enrollment_create(student=StudentFactory(), course=elsewhere)
    other = Enrollment.objects.get(course=elsewhere).student
    services.submission_create(student=other, lesson=lessons_of(elsewhere)[0], text="Theirs.")

    mine = analytics.instructor_analytics(instructor=teacher, days=7, today=TODAY)["grading"]
    everyone = analytics.admin_analytics(days=7, today=TODAY)["grading"]

    assert mine == {"awaiting_grading": 1, "graded": 3, "median_time_to_grade": timedelta(hours=5)}
    assert (everyone["awaiting_grading"], everyone["graded"]) == (2, 3)


def test_no_graded_work_has_no_median_time_to_grade(teacher):
    grading = analytics.instructor_analytics(instructor=teacher, days=7, today=TODAY)["grading"]

    assert grading == {"awaiting_grading": 0, "graded": 0, "median_time_to_grade": None}


def test_figures_are_cached_for_a_while_then_fresh(monkeypatch, settings, teacher, admin, student):
    course = published_course(admin=admin, owner=teacher)
    assert analytics.instructor_analytics(instructor=teacher)["enrollments"] == 0
    services.enrollment_create(student=student, course=course)

    assert analytics.instructor_analytics(instructor=teacher)["enrollments"] == 0  # still the cached figure
    expired = time.time() + settings.ANALYTICS_CACHE_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: expired)  # the cache's clock, past the figure's lifetime
    assert analytics.instructor_analytics(instructor=teacher)["enrollments"] == 1
