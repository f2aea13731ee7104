"""The admin's dashboard: figures as cards, charts and tables, over the period asked for."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse

from lms_site.tests.factories import InstructorFactory, StudentFactory

from .. import services
from ..dashboard import NONE_YET
from ..models import Submission
from .factories import lessons_of, published_course, reviewed

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("admin:index")


def cards(response, name) -> dict:
    return {str(card["title"]): card["value"] for card in response.context[name]}


def test_dashboard_shows_people_by_role_and_signups_chart(admin_client):
    StudentFactory.create_batch(2)
    StudentFactory(is_active=False)
    InstructorFactory()

    response = admin_client.get(DASHBOARD)

    assert response.status_code == 200
    assert cards(response, "people_cards") == {
        "Students": 3,
        "Instructors": 1,
        "Admins": 1,
        "All users": 5,
        "Inactive": 1,
    }
    chart = json.loads(response.context["signups_chart"])
    assert len(chart["labels"]) == 30
    assert chart["datasets"][0]["data"][-1] == 5
    assert sum(chart["datasets"][0]["data"]) == 5
    assert 'class="chart"' in response.text


def test_dashboard_shows_learning_figures_and_top_courses(admin_client, admin, student, other_student):
    course = published_course(admin=admin, title="Astronomy")
    for learner in (student, other_student):
        services.enrollment_create(student=learner, course=course)
    services.lesson_complete(student=student, lesson=lessons_of(course)[0])
    reviewed(student=student, course=course, rating=4)

    response = admin_client.get(DASHBOARD)

    assert cards(response, "learning_cards") == {
        "Enrolments": 2,
        "Completions": 1,
        "Completion rate": "50%",
        "Average rating": "4.00 / 5",
    }
    assert cards(response, "decision_cards")["Course approval rate"] == "100%"
    learning = json.loads(response.context["learning_chart"])
    assert [dataset["data"][-1] for dataset in learning["datasets"]] == [2, 1]
    assert response.context["top_by_rating"]["rows"] == [["Astronomy", 2, "50%", "4.00 / 5"]]
    assert "Highest rated courses" in response.text


def test_empty_platform_shows_dashes_not_zero_rates(admin_client):
    response = admin_client.get(DASHBOARD)

    assert cards(response, "learning_cards")["Completion rate"] == NONE_YET
    assert cards(response, "decision_cards")["Request approval rate"] == NONE_YET
    assert cards(response, "grading_cards")["Median time to grade"] == NONE_YET


def test_dashboard_shows_work_awaiting_a_grade_and_the_median_time_to_grade(admin_client, admin, student):
    course = published_course(admin=admin, lesson_types=("assignment",))
    services.enrollment_create(student=student, course=course)
    work, _new = services.submission_create(student=student, lesson=lessons_of(course)[0], text="Mine.")
    services.submission_grade(submission=work, grader=admin, passed=False)
    Submission.objects.filter(pk=work.pk).update(graded_at=work.submitted_at + timedelta(hours=3, minutes=30))
    services.submission_create(student=student, lesson=lessons_of(course)[0], text="Again.")

    response = admin_client.get(DASHBOARD)

    assert cards(response, "grading_cards") == {
        "Work awaiting a grade": 1,
        "Work graded": 1,
        "Median time to grade": "3.5 h",
    }
    assert f"{reverse('admin:learners_submission_changelist')}?status__exact=submitted" in response.text


@pytest.mark.parametrize(("asked", "days"), [("7", 7), ("90", 90), ("365", 365), ("12", 30), ("soon", 30)])
def test_period_selector_sets_the_series_length(admin_client, asked, days):
    response = admin_client.get(DASHBOARD, {"days": asked})

    assert response.context["days"] == days
    assert len(json.loads(response.context["learning_chart"])["labels"]) == days
    assert f'href="?days={days}"' in response.text


def test_dashboard_is_for_admins_only(client, instructor):
    client.force_login(instructor)

    response = client.get(DASHBOARD)

    assert response.status_code == 302
    assert "people_cards" not in (response.context or {})


def test_a_rate_reads_the_same_in_the_admin_and_the_cms(admin_client, client, admin, instructor):
    """Two of three students through the course: 67% in both panels (once 66% in one of them)."""
    course = published_course(admin=admin, owner=instructor)
    learners = StudentFactory.create_batch(3)
    for learner in learners:
        services.enrollment_create(student=learner, course=course)
    for learner in learners[:2]:
        for lesson in lessons_of(course):
            services.lesson_complete(student=learner, lesson=lesson)

    assert cards(admin_client.get(DASHBOARD), "learning_cards")["Completion rate"] == "67%"
    client.force_login(instructor)
    panel = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "67%" in panel and "66%" not in panel
