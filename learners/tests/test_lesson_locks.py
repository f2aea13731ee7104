"""One lock rule on the site and in the API: in a sequential course a lesson's body opens once the
lesson before it is complete. Its instructor, admins and preview lessons are never locked."""

import pytest
from rest_framework.test import APIClient

from catalog.models import LessonPage

from .. import services
from .factories import lessons_of, published_course

pytestmark = pytest.mark.django_db

SITE_BODY = 'class="lesson__body"'
SITE_LOCK = "This lesson is locked"


@pytest.fixture
def course(admin, instructor):
    """Three lessons in order; the third is a preview."""
    course = published_course(admin=admin, owner=instructor, lessons_per_section=3, is_sequential=True)
    LessonPage.objects.filter(pk=lessons_of(course)[2].pk).update(is_preview=True)
    return course


def site_shows_body(client, user, lesson) -> bool:
    client.force_login(user)
    page = client.get(lesson.url).content.decode()
    assert (SITE_BODY in page) != (SITE_LOCK in page)
    return SITE_BODY in page


def api_shows_body(user, lesson):
    client = APIClient()
    client.force_authenticate(user=user)
    return client.get(f"/api/v1/lessons/{lesson.pk}/")


def test_locked_lessons_body_is_refused_by_the_api(student, course):
    first, second, _preview = lessons_of(course)
    services.enrollment_create(student=student, course=course)

    response = api_shows_body(student, second)

    assert response.status_code == 409
    body = response.json()
    assert body["error"]["code"] == "lesson_locked"
    assert first.title in body["message"]
    assert body["data"] is None


def test_completing_the_lesson_before_opens_the_body_in_the_api(student, course):
    first, second, _preview = lessons_of(course)
    services.enrollment_create(student=student, course=course)
    services.lesson_complete(student=student, lesson=first)

    response = api_shows_body(student, second)

    assert response.status_code == 200
    assert response.json()["data"]["body"]


@pytest.mark.parametrize("completed", [0, 1], ids=["nothing-done", "first-done"])
def test_site_and_api_agree_for_an_enrolled_student(client, student, course, completed):
    services.enrollment_create(student=student, course=course)
    lessons = lessons_of(course)
    for lesson in lessons[:completed]:
        services.lesson_complete(student=student, lesson=lesson)

    site = [site_shows_body(client, student, lesson) for lesson in lessons]
    api = [api_shows_body(student, lesson).status_code == 200 for lesson in lessons]

    expected = [True, True, True] if completed else [True, False, True]  # the preview is never locked
    assert site == api == expected


@pytest.mark.parametrize("who", ["instructor", "admin"])
def test_site_and_api_never_lock_the_courses_instructor_or_an_admin(client, request, course, who):
    user = request.getfixturevalue(who)
    if who == "admin":  # even an admin studying the course as a student
        services.enrollment_create(student=user, course=course)

    for lesson in lessons_of(course):
        assert site_shows_body(client, user, lesson)
        assert api_shows_body(user, lesson).status_code == 200
