"""A published course's change over HTTP: submitted by its owner, decided by an admin, read by them only."""

import pytest
from django.urls import reverse

from lms_site.tests.factories import AdminFactory, InstructorFactory

from ..models import ChangeStatus, CoursePage, CourseStatus
from .factories import changed_course

pytestmark = pytest.mark.django_db

BODIES = {"reject": {"reason": "Keep the old title."}, "approve": {"comment": "Nice."}}


def post(client, course, transition):
    url = reverse(f"api:course-{transition}", args=[course.pk])
    return client.post(url, BODIES.get(transition, {}), format="json")


def change_of(course) -> str:
    return CoursePage.objects.get(pk=course.pk).lifecycle.change_status


@pytest.fixture
def pending_change(admin, client_for):
    course = changed_course(admin)
    assert post(client_for(course.owner), course, "submit").status_code == 200
    return course


def test_the_owner_submits_a_change_and_reads_its_state(admin, client_for):
    course = changed_course(admin)

    response = post(client_for(course.owner), course, "submit")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["message"] == "Change submitted for review."
    assert body["data"]["status"] == CourseStatus.PUBLISHED
    assert body["data"]["change_status"] == ChangeStatus.PENDING
    assert body["data"]["title"] == "First edition"  # the representation is the live version


def test_students_and_the_catalog_keep_the_live_version(pending_change, client_for, student, api_client):
    url = reverse("api:course-detail", args=[pending_change.pk])
    for client in (client_for(student), api_client):
        data = client.get(url).json()["data"]
        assert data["title"] == "First edition"
        assert (data["change_status"], data["change_rejection_reason"]) == (None, None)
    listing = api_client.get(reverse("api:course-list")).json()["data"]["results"]
    assert [card["title"] for card in listing if card["id"] == pending_change.pk] == ["First edition"]


def test_approval_puts_the_change_live(pending_change, client_for, admin, student):
    response = post(client_for(admin), pending_change, "approve")

    assert response.status_code == 200, response.json()
    assert response.json()["message"] == "Change approved; it is live."
    assert response.json()["data"]["change_status"] == ChangeStatus.NONE
    seen = client_for(student).get(reverse("api:course-detail", args=[pending_change.pk])).json()["data"]
    assert seen["title"] == "Second edition"
    lessons = [lesson["title"] for section in seen["outline"] for lesson in section["lessons"]]
    assert lessons == ["Rewritten lesson"]


def test_rejection_keeps_the_live_version_and_tells_the_owner_why(pending_change, client_for, admin):
    response = post(client_for(admin), pending_change, "reject")

    assert response.status_code == 200, response.json()
    assert response.json()["data"]["title"] == "First edition"
    own = client_for(pending_change.owner).get(reverse("api:course-detail", args=[pending_change.pk])).json()
    assert (own["data"]["change_status"], own["data"]["change_rejection_reason"]) == (
        ChangeStatus.REJECTED,
        "Keep the old title.",
    )
    assert own["data"]["status"] == CourseStatus.PUBLISHED


def test_a_second_approval_is_409(pending_change, client_for, admin):
    assert post(client_for(admin), pending_change, "approve").status_code == 200

    response = post(client_for(AdminFactory()), pending_change, "approve")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"


def test_submitting_a_published_course_without_a_change_is_409(admin, client_for, pending_change):
    post(client_for(admin), pending_change, "approve")

    response = post(client_for(pending_change.owner), pending_change, "submit")

    assert response.status_code == 409
    assert change_of(pending_change) == ChangeStatus.NONE


@pytest.mark.parametrize(
    ("transition", "person"),
    [
        ("approve", "owner"),
        ("approve", "student"),
        ("approve", "other"),
        ("reject", "owner"),
        ("reject", "student"),
        ("reject", "other"),
        ("withdraw", "student"),
        ("withdraw", "other"),
    ],
)
def test_deciding_on_a_change_by_the_wrong_person_is_403(
    pending_change, client_for, student, transition, person
):
    people = {"owner": pending_change.owner, "student": student, "other": InstructorFactory()}

    response = post(client_for(people[person]), pending_change, transition)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert change_of(pending_change) == ChangeStatus.PENDING


@pytest.mark.parametrize("person", ["student", "other"])
def test_submitting_someone_elses_change_is_403(admin, client_for, student, person):
    course = changed_course(admin)
    user = {"student": student, "other": InstructorFactory()}[person]

    assert post(client_for(user), course, "submit").status_code == 403
    assert change_of(course) == ChangeStatus.NONE
