"""The instructor's learning panel in the CMS and the roster export of their courses."""

import csv
import io

import pytest
from django.core.cache import cache
from django.urls import reverse

from catalog.tests.test_page_queries import queries_for
from lms_site.tests.factories import InstructorFactory, StudentFactory

from .. import services
from .factories import lessons_of, published_course, reviewed

pytestmark = pytest.mark.django_db

CMS = reverse("wagtailadmin_home")


def roster_url(course):
    return reverse("learners_roster", args=[course.pk])


def roster(response) -> list[dict]:
    content = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(content)))


@pytest.fixture
def course(admin, instructor):
    course = published_course(admin=admin, owner=instructor, title="Astronomy", lessons_per_section=2)
    ann = StudentFactory(first_name="Ann", last_name="Lee")
    services.enrollment_create(student=ann, course=course)
    services.lesson_complete(student=ann, lesson=lessons_of(course)[0])
    reviewed(student=ann, course=course, rating=5)
    services.enrollment_create(student=StudentFactory(first_name="=cmd()", last_name="Zed"), course=course)
    return course


def test_instructor_sees_their_learning_figures_on_the_cms_dashboard(client, instructor, course):
    client.force_login(instructor)

    response = client.get(CMS)

    panel = response.content.decode()
    assert "Learning in my courses" in panel
    assert "Astronomy" in panel
    assert roster_url(course) in panel
    assert "5.00 / 5" in panel


def test_instructor_sees_grading_figures_and_gradebook_links_on_the_cms_dashboard(client, instructor, course):
    client.force_login(instructor)

    panel = client.get(CMS).content.decode()

    assert "Awaiting a grade" in panel and "Median time to grade" in panel
    assert reverse("learners_gradebook", args=[course.pk]) in panel
    assert reverse("learners_gradebook_export", args=[course.pk, "xlsx"]) in panel


def test_admin_dashboard_in_the_cms_has_no_instructor_panel(client, admin, course):
    client.force_login(admin)

    assert "Learning in my courses" not in client.get(CMS).content.decode()


def test_roster_lists_each_student_with_their_progress(client, instructor, course):
    client.force_login(instructor)

    response = client.get(roster_url(course))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="roster-astronomy.csv"' in response["Content-Disposition"]
    rows = roster(response)
    assert [(row["student_name"], row["progress_percentage"], row["lessons_completed"]) for row in rows] == [
        ("Ann Lee", "50.00", "1"),
        ("'=cmd() Zed", "0.00", "0"),  # kept as text, not run as a formula
    ]


def test_admin_reads_any_roster(client, admin, course):
    client.force_login(admin)

    assert len(roster(client.get(roster_url(course)))) == 2


def test_another_instructor_cannot_read_the_roster(client, course):
    client.force_login(InstructorFactory())

    response = client.get(roster_url(course))

    assert (response.status_code, response["Location"]) == (302, CMS)  # Wagtail's "permission denied"
    assert not hasattr(response, "streaming_content")


def test_student_cannot_read_the_roster(client, student, course):
    client.force_login(student)

    response = client.get(roster_url(course))

    assert response.status_code == 302
    assert not hasattr(response, "streaming_content")


def test_cms_dashboard_queries_do_not_grow_with_courses_and_students(client, admin, instructor, course):
    client.force_login(instructor)
    one = queries_for(client, CMS)

    for _ in range(3):
        more = published_course(admin=admin, owner=instructor)
        for student in StudentFactory.create_batch(3):
            services.enrollment_create(student=student, course=more)
    cache.clear()  # the panel's figures are cached
    assert queries_for(client, CMS) == one
