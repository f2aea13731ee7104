"""Courses over HTTP: who sees which course, creating, editing and deleting through the services."""

from decimal import Decimal

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from lms_site.tests.factories import InstructorFactory
from lms_site.tests.headless import bearer, login_tokens

from .. import access
from ..models import CoursePage, CourseStatus
from .factories import CategoryFactory, build_course, course_in, image

pytestmark = pytest.mark.django_db

LIST = reverse("api:course-list")


def detail(course):
    return reverse("api:course-detail", args=[course.pk])


def listed_ids(response):
    assert response.status_code == 200, response.json()
    return {card["id"] for card in response.json()["data"]["results"]}


def test_anonymous_list_holds_published_courses_only(api_client, admin):
    published = course_in(CourseStatus.PUBLISHED, admin=admin)
    for status in (CourseStatus.DRAFT, CourseStatus.PENDING, CourseStatus.APPROVED, CourseStatus.REJECTED):
        course_in(status, admin=admin)

    assert listed_ids(api_client.get(LIST)) == {published.pk}


def test_card_carries_category_instructor_counters_and_site_url(api_client, admin):
    course = course_in(CourseStatus.PUBLISHED, admin=admin, price=Decimal("19.90"))

    card = api_client.get(LIST).json()["data"]["results"][0]

    assert card["category"] == {"name": course.category.name, "slug": course.category.slug}
    assert card["instructor"] == {"id": str(course.owner.pk), "name": course.owner.get_full_name()}
    assert (card["price"], card["is_free"], card["thumbnail"]) == ("19.90", False, None)
    assert (card["status"], card["enrollment_count"], card["review_count"]) == ("published", 0, 0)
    assert card["published_at"] is not None
    assert card["created_at"] <= card["updated_at"]
    assert card["url"].endswith(f"/courses/{course.slug}/")


def test_every_absolute_link_in_answers_starts_with_site_url(api_client, admin, settings):
    """Course pages, pagination, thumbnails: one host, SITE_URL's, whatever host the request named."""
    settings.SITE_URL = "https://learn.example.com"
    for _ in range(2):
        course_in(CourseStatus.PUBLISHED, admin=admin)

    data = api_client.get(LIST, {"page_size": 1}, HTTP_HOST="127.0.0.1").json()["data"]

    assert data["next"] == "https://learn.example.com/api/v1/courses/?page=2&page_size=1"
    assert data["results"][0]["url"].startswith("https://learn.example.com/courses/")
    detail_data = api_client.get(detail(CoursePage.objects.first()), HTTP_HOST="127.0.0.1").json()["data"]
    assert detail_data["url"].startswith("https://learn.example.com/")


def test_instructor_lists_own_drafts_but_never_another_instructors(client_for, admin, instructor):
    own = build_course(owner=instructor)
    build_course()  # another instructor's draft
    published = course_in(CourseStatus.PUBLISHED, admin=admin)

    assert listed_ids(client_for(instructor).get(LIST)) == {own.pk, published.pk}


def test_mine_lists_only_the_callers_courses(client_for, admin, instructor):
    own = build_course(owner=instructor)
    course_in(CourseStatus.PUBLISHED, admin=admin)

    assert listed_ids(client_for(instructor).get(LIST, {"mine": "true"})) == {own.pk}


def test_mine_for_anonymous_is_empty(api_client, admin):
    course_in(CourseStatus.PUBLISHED, admin=admin)

    assert listed_ids(api_client.get(LIST, {"mine": "true"})) == set()


def test_admin_lists_every_course_and_filters_by_status(client_for, admin):
    draft = build_course()
    pending = course_in(CourseStatus.PENDING, admin=admin)
    client = client_for(admin)

    assert listed_ids(client.get(LIST)) == {draft.pk, pending.pk}
    assert listed_ids(client.get(LIST, {"status": "pending"})) == {pending.pk}


def test_status_filter_is_ignored_for_a_student(client_for, student, admin):
    published = course_in(CourseStatus.PUBLISHED, admin=admin)
    course_in(CourseStatus.PENDING, admin=admin)

    assert listed_ids(client_for(student).get(LIST, {"status": "pending"})) == {published.pk}


def test_instructor_creates_a_draft_they_own(client_for, instructor):
    category = CategoryFactory()

    response = client_for(instructor).post(
        LIST,
        {
            "title": "Django from zero",
            "description": "Models, views, templates.",
            "category": category.slug,
            "price": "0",
            "learning_outcomes": ["Build a site", "Deploy it"],
            "status": "published",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    data = response.json()["data"]
    assert (data["status"], data["slug"], data["learning_outcomes"]) == (
        "draft",
        "django-from-zero",
        ["Build a site", "Deploy it"],
    )
    course = CoursePage.objects.get(pk=data["id"])
    assert (course.owner, course.category, course.live) == (instructor, category, False)
    assert course.learning_outcomes == "Build a site\nDeploy it"


def test_student_cannot_create_a_course(client_for, student):
    response = client_for(student).post(LIST, {"title": "Mine now"}, format="json")

    assert response.status_code == 403
    assert not CoursePage.objects.exists()


def test_anonymous_cannot_create_a_course(api_client):
    assert api_client.post(LIST, {"title": "Nobody's"}, format="json").status_code == 401


@pytest.mark.parametrize(
    ("field", "value"),
    [("category", "no-such-category"), ("price", "-5"), ("difficulty", "expert"), ("title", "")],
)
def test_invalid_course_fields_are_400_with_details(client_for, instructor, field, value):
    response = client_for(instructor).post(LIST, {"title": "A course", field: value}, format="json")

    assert response.status_code == 400
    assert field in response.json()["error"]["details"]


def test_enrolment_window_closing_before_it_opens_is_400(client_for, instructor):
    response = client_for(instructor).post(
        LIST,
        {
            "title": "Windowed",
            "enrollment_opens_at": "2030-02-01T00:00:00Z",
            "enrollment_closes_at": "2030-01-01T00:00:00Z",
        },
        format="json",
    )

    assert response.status_code == 400
    assert "enrollment_closes_at" in response.json()["error"]["details"]


def test_published_course_detail_has_outline_and_instructor_summary(api_client, admin):
    course = course_in(CourseStatus.PUBLISHED, admin=admin, sections=2, lessons_per_section=2)

    response = api_client.get(detail(course))

    assert response.status_code == 200
    data = response.json()["data"]
    assert [len(section["lessons"]) for section in data["outline"]] == [2, 2]
    assert set(data["outline"][0]["lessons"][0]) == {"id", "title", "type", "duration_minutes", "is_preview"}
    assert set(data["instructor"]) == {"id", "name", "bio", "avatar"}
    assert (data["is_enrolled"], data["rejection_reason"]) == (False, None)


def test_detail_says_whether_the_caller_is_enrolled(client_for, student, admin, monkeypatch):
    course = course_in(CourseStatus.PUBLISHED, admin=admin)
    monkeypatch.setattr(access, "_enrolment_checks", [lambda user, checked: user == student])

    assert client_for(student).get(detail(course)).json()["data"]["is_enrolled"] is True


@pytest.mark.parametrize("status", [CourseStatus.DRAFT, CourseStatus.PENDING, CourseStatus.REJECTED])
def test_unpublished_course_is_404_to_anonymous(api_client, admin, status):
    course = course_in(status, admin=admin)

    response = api_client.get(detail(course))

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_draft_is_404_to_another_instructor(client_for, instructor):
    assert client_for(instructor).get(detail(build_course())).status_code == 404


def test_owner_sees_the_rejection_reason(client_for, admin):
    course = course_in(CourseStatus.REJECTED, admin=admin)

    data = client_for(course.owner).get(detail(course)).json()["data"]

    assert (data["status"], data["rejection_reason"]) == ("rejected", "Needs more examples.")


def test_owner_edits_a_draft(client_for, instructor):
    course = build_course(owner=instructor)

    response = client_for(instructor).patch(
        detail(course), {"subtitle": "Now with exercises", "requirements": ["Python"]}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["message"] == "Course saved."
    course.refresh_from_db()
    assert (course.subtitle, course.requirements) == ("Now with exercises", "Python")


def test_patching_status_or_counters_changes_nothing(client_for, instructor):
    course = build_course(owner=instructor)

    response = client_for(instructor).patch(
        detail(course), {"status": "published", "enrollment_count": 99, "owner": None}, format="json"
    )

    assert response.status_code == 200
    fresh = CoursePage.objects.get(pk=course.pk)
    assert (fresh.lifecycle.status, fresh.stats.enrollment_count, fresh.owner, fresh.live) == (
        CourseStatus.DRAFT,
        0,
        instructor,
        False,
    )


def test_student_patching_a_published_course_is_403(client_for, student, admin):
    course = course_in(CourseStatus.PUBLISHED, admin=admin)

    response = client_for(student).patch(detail(course), {"title": "Hijacked"}, format="json")

    assert response.status_code == 403
    assert CoursePage.objects.get(pk=course.pk).title != "Hijacked"


def test_other_instructor_patching_a_draft_is_404(client_for):
    course = build_course()

    response = client_for(InstructorFactory()).patch(detail(course), {"title": "Mine"}, format="json")

    assert response.status_code == 404


def test_thumbnail_from_another_instructors_library_is_400(client_for, instructor):
    theirs = image(InstructorFactory(), title="Theirs")
    course = build_course(owner=instructor)

    response = client_for(instructor).patch(detail(course), {"thumbnail": theirs.pk}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["details"] == {
        "thumbnail": ["Choose documents and images from your own library."]
    }
    assert CoursePage.objects.get(pk=course.pk).thumbnail is None


def test_owner_sets_a_thumbnail_from_their_own_library(client_for, instructor):
    course = build_course(owner=instructor)
    mine = image(instructor)

    response = client_for(instructor).patch(detail(course), {"thumbnail": mine.pk}, format="json")

    assert response.status_code == 200, response.json()
    assert CoursePage.objects.get(pk=course.pk).thumbnail == mine


def test_owner_cannot_edit_a_pending_course(client_for, admin):
    course = course_in(CourseStatus.PENDING, admin=admin)

    response = client_for(course.owner).patch(detail(course), {"title": "Sneaky"}, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"


def test_admin_edits_a_published_course_live(client_for, admin, api_client):
    course = course_in(CourseStatus.PUBLISHED, admin=admin)

    assert (
        client_for(admin).patch(detail(course), {"subtitle": "Fixed typo"}, format="json").status_code == 200
    )

    assert api_client.get(detail(course)).json()["data"]["subtitle"] == "Fixed typo"


def test_owner_deletes_a_draft(client_for, instructor):
    course = build_course(owner=instructor)

    assert client_for(instructor).delete(detail(course)).status_code == 204
    assert not CoursePage.objects.filter(pk=course.pk).exists()


def test_owner_cannot_delete_a_published_course(client_for, admin):
    course = course_in(CourseStatus.PUBLISHED, admin=admin)

    assert client_for(course.owner).delete(detail(course)).status_code == 409
    assert CoursePage.objects.filter(pk=course.pk).exists()


def test_instructor_creates_a_course_with_a_bearer_token(api_client, instructor):
    """Clients of the app API authenticate with allauth's access token, not a session."""
    access_token = login_tokens(APIClient(), instructor)["access"]

    response = api_client.post(LIST, {"title": "By token"}, format="json", headers=bearer(access_token))

    assert response.status_code == 201, response.json()
    assert CoursePage.objects.get(pk=response.json()["data"]["id"]).owner == instructor
