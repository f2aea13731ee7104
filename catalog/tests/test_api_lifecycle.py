"""The course lifecycle over HTTP: each transition for its person from its states, refused otherwise."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Revision

from lms_site.tests.factories import InstructorFactory

from ..models import CoursePage, CourseStatus
from .factories import course_in

pytestmark = pytest.mark.django_db

DRAFT, PENDING, APPROVED, REJECTED, PUBLISHED = (
    CourseStatus.DRAFT,
    CourseStatus.PENDING,
    CourseStatus.APPROVED,
    CourseStatus.REJECTED,
    CourseStatus.PUBLISHED,
)
BODIES = {"reject": {"reason": "Add exercises."}, "approve": {"comment": "Nice."}}


def post(client, course, transition, body=None):
    url = reverse(f"api:course-{transition}", args=[course.pk])
    return client.post(url, BODIES.get(transition, {}) if body is None else body, format="json")


def status_of(course):
    return CoursePage.objects.get(pk=course.pk).lifecycle.status


@pytest.fixture
def actor(request, client_for, admin, student):
    """A client for the named person relative to `course` (owner, admin, student, another instructor)."""

    def make(name, course):
        people = {"owner": course.owner, "admin": admin, "student": student, "other": InstructorFactory()}
        return client_for(people[name])

    return make


@pytest.mark.parametrize(
    ("transition", "start", "person", "end", "message"),
    [
        ("submit", DRAFT, "owner", PENDING, "Course submitted for review."),
        ("submit", REJECTED, "owner", PENDING, "Course submitted for review."),
        ("withdraw", PENDING, "owner", DRAFT, "Course withdrawn from review."),
        ("withdraw", PENDING, "admin", DRAFT, "Course withdrawn from review."),
        ("approve", PENDING, "admin", APPROVED, "Course approved; it can now be published."),
        ("reject", PENDING, "admin", REJECTED, "Course rejected; the instructor has been told why."),
        ("publish", APPROVED, "admin", PUBLISHED, "Course published."),
        ("unpublish", PUBLISHED, "admin", DRAFT, "Course unpublished; it is back to draft."),
    ],
)
def test_transition_allowed_for_its_person_from_its_state(
    actor, admin, transition, start, person, end, message
):
    course = course_in(start, admin=admin)

    response = post(actor(person, course), course, transition)

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["message"], body["data"]["status"]) == (message, end)
    assert status_of(course) == end


@pytest.mark.parametrize(
    ("transition", "start", "person"),
    [
        ("submit", PENDING, "owner"),
        ("submit", PUBLISHED, "owner"),
        ("withdraw", DRAFT, "owner"),
        ("approve", DRAFT, "admin"),
        ("approve", APPROVED, "admin"),
        ("reject", REJECTED, "admin"),
        ("publish", PENDING, "admin"),
        ("publish", PUBLISHED, "admin"),
        ("unpublish", APPROVED, "admin"),
    ],
)
def test_transition_from_a_wrong_state_is_409(actor, admin, transition, start, person):
    course = course_in(start, admin=admin)

    response = post(actor(person, course), course, transition)

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"
    assert status_of(course) == start


@pytest.mark.parametrize(
    ("transition", "start", "person"),
    [
        ("submit", DRAFT, "admin"),
        ("submit", PUBLISHED, "student"),
        ("withdraw", PUBLISHED, "other"),
        ("approve", PENDING, "owner"),
        ("reject", PENDING, "owner"),
        ("publish", APPROVED, "owner"),
        ("unpublish", PUBLISHED, "owner"),
        ("unpublish", PUBLISHED, "student"),
    ],
)
def test_transition_by_the_wrong_person_is_403(actor, admin, transition, start, person):
    course = course_in(start, admin=admin)

    response = post(actor(person, course), course, transition)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert status_of(course) == start


@pytest.mark.parametrize("transition", ["submit", "withdraw", "approve", "reject", "publish", "unpublish"])
def test_transition_on_a_course_the_caller_cannot_see_is_404(actor, admin, transition):
    course = course_in(PENDING, admin=admin)

    assert post(actor("student", course), course, transition).status_code == 404


def test_anonymous_transition_is_401(api_client, admin):
    course = course_in(PUBLISHED, admin=admin)

    assert post(api_client, course, "unpublish").status_code == 401
    assert status_of(course) == PUBLISHED


def test_reject_without_a_reason_is_400(client_for, admin):
    course = course_in(PENDING, admin=admin)

    response = post(client_for(admin), course, "reject", body={})

    assert response.status_code == 400
    assert "reason" in response.json()["error"]["details"]
    assert status_of(course) == PENDING


def test_incomplete_course_cannot_be_submitted(client_for, instructor):
    response = client_for(instructor).post(reverse("api:course-list"), {"title": "Empty"}, format="json")
    course = CoursePage.objects.get(pk=response.json()["data"]["id"])

    submitted = post(client_for(instructor), course, "submit")

    assert submitted.status_code == 400
    assert {"description", "category", "sections"} <= set(submitted.json()["error"]["details"])


def test_published_course_joins_the_catalog_and_unpublished_leaves_it(
    api_client, client_for, admin, django_capture_on_commit_callbacks
):
    """Each change commits before the next look (anonymous lists are cached until a change commits)."""
    course = course_in(APPROVED, admin=admin)
    listed = reverse("api:course-list")
    assert api_client.get(listed).json()["data"]["count"] == 0

    with django_capture_on_commit_callbacks(execute=True):
        post(client_for(admin), course, "publish")
    assert [card["id"] for card in api_client.get(listed).json()["data"]["results"]] == [course.pk]

    with django_capture_on_commit_callbacks(execute=True):
        post(client_for(admin), course, "unpublish")
    assert api_client.get(listed).json()["data"]["count"] == 0


def _time_passes(course):
    """Move the scheduled go-live time into the past, as the clock would."""
    past = timezone.now() - timedelta(minutes=1)
    for revision in Revision.objects.filter(object_id=str(course.pk), approved_go_live_at__isnull=False):
        revision.content["go_live_at"] = past.isoformat()
        revision.approved_go_live_at = past
        revision.save(update_fields=["content", "approved_go_live_at"])


def test_scheduled_publish_waits_for_go_live_at_then_publish_scheduled_puts_it_live(
    api_client, client_for, admin, django_capture_on_commit_callbacks
):
    course = course_in(APPROVED, admin=admin)
    go_live_at = timezone.now() + timedelta(days=1)

    response = post(client_for(admin), course, "publish", body={"go_live_at": go_live_at.isoformat()})

    assert response.status_code == 200
    assert response.json()["message"] == "Course scheduled to go live."
    assert response.json()["data"]["status"] == "approved"
    assert response.json()["data"]["go_live_at"] is not None
    assert api_client.get(reverse("api:course-list")).json()["data"]["count"] == 0

    _time_passes(course)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("publish_scheduled")

    assert status_of(course) == PUBLISHED
    assert [card["id"] for card in api_client.get(reverse("api:course-list")).json()["data"]["results"]] == [
        course.pk
    ]


def test_publish_with_a_malformed_go_live_at_is_400(client_for, admin):
    course = course_in(APPROVED, admin=admin)

    response = post(client_for(admin), course, "publish", body={"go_live_at": "next tuesday"})

    assert response.status_code == 400
    assert "go_live_at" in response.json()["error"]["details"]
    assert status_of(course) == APPROVED
