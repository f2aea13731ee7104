"""Object-, property- and function-level access over HTTP (docs/security.md, API1, API3, API5, API7).

Every refusal is asserted by its exact status and by a database that did not move. The rows
already proven elsewhere (another student's enrolment, review, request, roster...) are cited in
docs/security.md rather than repeated here.
"""

import socket
from functools import cached_property

import pytest
from django.urls import reverse
from rest_framework.test import APIClient
from wagtail.models import Page

from catalog.models import Category, CoursePage, CourseStatus
from catalog.tests.factories import CategoryFactory, build_course, course_in
from learners import services as learning
from learners.models import Enrollment, Review
from learners.tests.factories import first_lesson_done, lessons_of, published_course
from lms_site.models import InstructorRequest, Role, User

from .factories import InstructorFactory, InstructorRequestFactory, StudentFactory

pytestmark = pytest.mark.django_db


def snapshot() -> tuple:
    """Everything an access-control slip could change: people, courses, pages, learning, requests."""
    return (
        sorted(User.objects.values_list("email", "role", "is_active", "is_staff", "is_superuser")),
        sorted(CoursePage.objects.values_list("pk", "lifecycle__status", "owner_id", "live")),
        sorted(Page.objects.values_list("pk", "title", "live")),
        sorted(Category.objects.values_list("slug", "name")),
        sorted(Enrollment.objects.values_list("student_id", "course_id")),
        sorted(Review.objects.values_list("student_id", "course_id", "rating", "comment")),
        sorted(InstructorRequest.objects.values_list("id", "status")),
    )


def call(client, method: str, url: str, body=None):
    return getattr(client, method)(url, body or {}, format="json")


def signed_in(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


class World:
    """The objects a case needs, each made on first use: an instructor's courses in every state,
    a student enrolled with a review and a pending request, and an admin."""

    def __init__(self, admin, owner, student):
        self.admin, self.owner, self.student = admin, owner, student

    def course(self, status):
        return course_in(status, admin=self.admin, owner=self.owner)

    @cached_property
    def published(self):
        return published_course(admin=self.admin, owner=self.owner)

    @cached_property
    def draft(self):
        return build_course(owner=self.owner)

    @cached_property
    def review(self):
        learning.enrollment_create(student=self.student, course=self.published)
        first_lesson_done(self.student, self.published)
        return learning.review_create(student=self.student, course=self.published, rating=5, comment="Good.")

    @cached_property
    def request(self):
        return InstructorRequestFactory(applicant=self.student)

    @cached_property
    def category(self):
        return CategoryFactory(name="Astronomy")


def outline(course):
    lesson = lessons_of(course)[0] if course.live else course.get_descendants().type(Page).last().specific
    section = lesson.get_parent()
    return section, lesson


def section_url(course):
    section, _ = outline(course)
    return reverse("api:course-section-detail", args=[course.pk, section.pk])


def lesson_url(course):
    section, lesson = outline(course)
    return reverse("api:course-lesson-detail", args=[course.pk, section.pk, lesson.pk])


@pytest.fixture
def world(admin, instructor, student):
    return World(admin, instructor, student)


# API1: object level. Another instructor reaches this instructor's course content by id.

OTHER_INSTRUCTORS_CONTENT = [
    pytest.param(
        "get", lambda w: reverse("api:course-detail", args=[w.draft.pk]), None, 404, id="draft-course"
    ),
    pytest.param(
        "get", lambda w: reverse("api:course-section-list", args=[w.draft.pk]), None, 404, id="draft-sections"
    ),
    pytest.param("get", lambda w: lesson_url(w.draft), None, 404, id="draft-lesson-outline"),
    pytest.param(
        "get",
        lambda w: reverse("api:lesson-detail", args=[outline(w.draft)[1].pk]),
        None,
        404,
        id="draft-lesson",
    ),
    pytest.param(
        "delete", lambda w: reverse("api:course-detail", args=[w.draft.pk]), None, 404, id="delete-draft"
    ),
    pytest.param("patch", lambda w: section_url(w.published), {"title": "Mine"}, 403, id="edit-section"),
    pytest.param("delete", lambda w: section_url(w.published), None, 403, id="delete-section"),
    pytest.param("patch", lambda w: lesson_url(w.published), {"title": "Mine"}, 403, id="edit-lesson"),
    pytest.param("delete", lambda w: lesson_url(w.published), None, 403, id="delete-lesson"),
    pytest.param(
        "post",
        lambda w: reverse("api:course-section-list", args=[w.published.pk]),
        {"title": "Extra"},
        403,
        id="add-section",
    ),
]


@pytest.mark.parametrize(("method", "url", "body", "expected"), OTHER_INSTRUCTORS_CONTENT)
def test_another_instructor_cannot_reach_a_courses_content_by_id(world, method, url, body, expected):
    """Unpublished content is invisible (404) to other instructors; published content is read-only (403)."""
    caller = InstructorFactory()
    target, before = url(world), snapshot()

    response = call(signed_in(caller), method, target, body)

    assert response.status_code == expected, response.content
    assert snapshot() == before


def test_student_filtering_enrolments_by_another_student_sees_only_their_own(world, other_student):
    """`?student=` is an admin's filter; for anyone else it cannot widen the list beyond their own rows."""
    learning.enrollment_create(student=world.student, course=world.published)
    learning.enrollment_create(student=other_student, course=world.published)

    response = signed_in(other_student).get(reverse("api:enrollment-list"), {"student": world.student.pk})

    assert response.status_code == 200
    assert response.json()["data"]["results"] == []


# API5: function level. Every admin-only endpoint, as a student and as the courses' own instructor.


def refused(method, url, body=None, *, student=403, instructor=403):
    """An admin-only call and the status each non-admin role gets for it."""
    return method, url, body, {"student": student, "instructor": instructor}


def user_url(person):
    return lambda w: reverse("api:user-detail", args=[getattr(w, person).pk])


def course_action(action, status):
    return lambda w: reverse(f"api:course-{action}", args=[w.course(status).pk])


def category_url(w):
    return reverse("api:category-detail", args=[w.category.slug])


# Students cannot see a course before it is published (404); its instructor sees it but may not decide (403).
ADMIN_ONLY = {
    "approve-instructor-request": refused(
        "post", lambda w: reverse("api:instructor-request-approve", args=[w.request.pk])
    ),
    "reject-instructor-request": refused(
        "post", lambda w: reverse("api:instructor-request-reject", args=[w.request.pk]), {"reason": "No."}
    ),
    "list-users": refused("get", lambda w: reverse("api:user-list")),
    "read-user": refused("get", user_url("admin")),
    "change-role": refused("patch", user_url("student"), {"role": Role.ADMIN}),
    "deactivate-user": refused("patch", user_url("admin"), {"is_active": False}),
    "approve-course": refused("post", course_action("approve", CourseStatus.PENDING), student=404),
    "reject-course": refused(
        "post", course_action("reject", CourseStatus.PENDING), {"reason": "No."}, student=404
    ),
    "publish-course": refused("post", course_action("publish", CourseStatus.APPROVED), student=404),
    "unpublish-course": refused("post", course_action("unpublish", CourseStatus.PUBLISHED)),
    "admin-analytics": refused("get", lambda w: reverse("api:analytics-admin")),
    "create-category": refused(
        "post",
        lambda w: reverse("api:category-list"),
        {"name": "Poetry", "icon": "book", "description": "Verse."},
    ),
    "rename-category": refused("patch", category_url, {"name": "Astrology"}),
    "delete-category": refused("delete", category_url),
}


@pytest.mark.parametrize("role", ["student", "instructor"])
@pytest.mark.parametrize("endpoint", ADMIN_ONLY)
def test_admin_only_endpoint_refuses_non_admins(world, endpoint, role):
    """Admin functions check the role on the server, whatever the caller holds (ASVS V4.1.1, V4.1.3)."""
    method, url, body, expected = ADMIN_ONLY[endpoint]
    caller = StudentFactory() if role == "student" else world.owner
    target, before = url(world), snapshot()

    response = call(signed_in(caller), method, target, body)

    assert response.status_code == expected[role], response.content
    assert response.json()["error"]["code"] == ("permission_denied" if expected[role] == 403 else "not_found")
    assert snapshot() == before


@pytest.mark.parametrize("role", ["student", "instructor"])
@pytest.mark.parametrize(
    "url", ["admin:index", "admin:lms_site_user_changelist", "admin:learners_enrollment_add"]
)
def test_admin_panel_sends_non_admins_to_log_in(client, role, url):
    """The unfold panel is for the admin role only; a student or instructor session gets the login page."""
    client.force_login(StudentFactory() if role == "student" else InstructorFactory())

    response = client.get(reverse(url))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize("role", ["student", "instructor"])
def test_admin_panel_refuses_a_role_change_posted_by_a_non_admin(client, role, other_student):
    """Posting the admin's change-role action straight at the panel changes nobody."""
    client.force_login(StudentFactory() if role == "student" else InstructorFactory())
    before = snapshot()

    response = client.post(
        reverse("admin:lms_site_user_changelist"),
        {"action": "change_role", "_selected_action": [other_student.pk], "role": Role.ADMIN, "apply": "1"},
    )

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert snapshot() == before


# API3: property level. Fields a caller sends that are not theirs to set.


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("is_superuser", True),
        ("is_active", False),
        ("groups", [1]),
        ("id", "00000000-0000-0000-0000-000000000001"),
        ("date_joined", "2000-01-01T00:00:00Z"),
        ("password", "Pwn3dPassword!"),
    ],
)
def test_own_profile_patch_ignores_a_field_that_is_not_the_users(student, field, value):
    """role, is_staff and email are proven in test_me_api; these are the other account fields."""
    before = snapshot(), student.password, list(student.groups.all())

    response = signed_in(student).patch(reverse("api:me"), {field: value}, format="json")

    assert response.status_code == 200
    student.refresh_from_db()
    assert (snapshot(), student.password, list(student.groups.all())) == before


def test_enrolling_names_the_caller_whatever_student_the_body_names(world, other_student):
    """The enrolment is always the caller's: a `student` in the body cannot enrol someone else."""
    response = signed_in(other_student).post(
        reverse("api:course-enroll", args=[world.published.pk]),
        {"student": str(world.student.pk)},
        format="json",
    )

    assert response.status_code == 201
    assert list(Enrollment.objects.values_list("student", flat=True)) == [other_student.pk]


def test_review_edit_cannot_move_it_to_another_student_or_course(world, other_student):
    """Only rating and comment are the author's; `student` and `course` in the body are ignored."""
    other_course = published_course(admin=world.admin)
    body = {"rating": 4, "student": str(other_student.pk), "course": other_course.pk}

    response = signed_in(world.student).patch(
        reverse("api:review-detail", args=[world.review.pk]), body, format="json"
    )

    assert response.status_code == 200
    assert list(Review.objects.values_list("student", "course", "rating")) == [
        (world.student.pk, world.published.pk, 4)
    ]


def test_review_is_written_by_the_caller_whatever_student_the_body_names(world, other_student):
    """A review cannot be posted in someone else's name."""
    learning.enrollment_create(student=other_student, course=world.published)
    first_lesson_done(other_student, world.published)

    response = signed_in(other_student).post(
        reverse("api:course-reviews", args=[world.published.pk]),
        {"rating": 1, "comment": "Bad.", "student": str(world.student.pk)},
        format="json",
    )

    assert response.status_code == 201
    assert list(Review.objects.values_list("student", "rating")) == [(other_student.pk, 1)]


def test_instructor_request_cannot_be_filed_already_approved(student, admin):
    """`status`, `reviewer` and `decision_reason` are the admin's; a new request is always pending."""
    body = {
        "motivation": "I teach.",
        "status": "approved",
        "reviewer": str(admin.pk),
        "decision_reason": "Yes",
    }

    response = signed_in(student).post(reverse("api:instructor-request-list"), body, format="json")

    assert response.status_code == 201
    request = InstructorRequest.objects.get()
    assert (request.status, request.reviewer, request.decision_reason) == ("pending", None, "")
    student.refresh_from_db()
    assert student.role == Role.STUDENT


def test_course_created_with_another_owner_belongs_to_the_caller(instructor):
    """`owner` is not writable: a course is created by and for the caller."""
    other = InstructorFactory()
    body = {"title": "Borrowed", "description": "x", "owner": str(other.pk), "status": "published"}

    response = signed_in(instructor).post(reverse("api:course-list"), body, format="json")

    assert response.status_code == 201
    course = CoursePage.objects.get(pk=response.json()["data"]["id"])
    assert (course.owner, course.lifecycle.status, course.live) == (instructor, CourseStatus.DRAFT, False)


# API7: server-side request forgery. URLs people give are stored and linked, never fetched.


@pytest.fixture
def no_network(monkeypatch):
    """Any outbound connection or name lookup made while the request is served fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"the server reached out to the network: {args!r}")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


INTERNAL = "http://169.254.169.254/latest/meta-data/"


def test_preview_video_url_is_stored_not_fetched(instructor, no_network):
    """A course's preview video URL goes into the page as a link; the server never requests it."""
    client = signed_in(instructor)
    response = client.post(
        reverse("api:course-list"), {"title": "Clouds", "preview_video_url": INTERNAL}, format="json"
    )

    assert response.status_code == 201, response.content
    assert (
        client.get(reverse("api:course-detail", args=[response.json()["data"]["id"]])).json()["data"][
            "preview_video_url"
        ]
        == INTERNAL
    )


def test_video_lesson_url_is_stored_not_fetched(instructor, no_network):
    """A video lesson's URL is played by the learner's browser, not by the server."""
    course = build_course(owner=instructor)
    section, _ = outline(course)
    video = {"type": "video", "value": {"url": INTERNAL, "caption": "", "transcript": ""}}
    body = {"title": "Watch", "type": "video", "body": [video]}

    response = signed_in(instructor).post(
        reverse("api:course-lesson-list", args=[course.pk, section.pk]), body, format="json"
    )

    assert response.status_code == 201, response.content
    assert INTERNAL in str(response.json()["data"])


def test_instructor_request_links_are_stored_not_fetched(student, no_network):
    """The links of an application are for the admin to open, not for the server."""
    response = signed_in(student).post(
        reverse("api:instructor-request-list"), {"motivation": "I teach.", "links": [INTERNAL]}, format="json"
    )

    assert response.status_code == 201
    assert InstructorRequest.objects.get().links == [INTERNAL]
