"""The queries behind the enrolment list and detail: the same whatever the number of rows.

Each is measured on a second request, once Wagtail has cached its site root paths (course URLs need
them). The client is force-authenticated, so no session or user query is counted.
"""

import pytest
from django.urls import reverse
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from catalog.models import CoursePage

from .. import services
from .factories import lessons_of, published_course

pytestmark = pytest.mark.django_db

LIST = reverse("api:enrollment-list")
LIST_QUERIES = 2  # count, then the page with course, instructor, thumbnail and certificate joined
DETAIL_QUERIES = 4  # the enrolment with its course, its progress rows, the live lessons, the sections


@pytest.mark.parametrize("courses", [1, 10])
def test_enrolment_list_queries_do_not_grow_with_the_rows(
    api_client, admin, student, django_assert_num_queries, courses
):
    thumbnail = Image.objects.create(title="Cover", file=get_test_image_file())
    for _ in range(courses):
        course = published_course(admin=admin)
        CoursePage.objects.filter(pk=course.pk).update(thumbnail=thumbnail)
        services.enrollment_create(student=student, course=course)
        services.lesson_complete(student=student, lesson=lessons_of(course)[0])  # a certificate each
    api_client.force_authenticate(user=student)
    api_client.get(LIST)

    with django_assert_num_queries(LIST_QUERIES):
        response = api_client.get(LIST)

    rows = response.json()["data"]["results"]
    assert len(rows) == courses
    assert all(row["course"]["thumbnail"] and row["certificate"] for row in rows)


@pytest.mark.parametrize(("sections", "lessons_per_section"), [(1, 1), (3, 4)])
def test_enrolment_detail_queries_do_not_grow_with_the_lessons(
    api_client, admin, student, django_assert_num_queries, sections, lessons_per_section
):
    course = published_course(
        admin=admin, sections=sections, lessons_per_section=lessons_per_section, is_sequential=True
    )
    enrollment = services.enrollment_create(student=student, course=course)
    services.lesson_complete(student=student, lesson=lessons_of(course)[0])
    url = reverse("api:enrollment-detail", args=[enrollment.pk])
    api_client.force_authenticate(user=student)
    api_client.get(url)

    with django_assert_num_queries(DETAIL_QUERIES):
        response = api_client.get(url)

    assert len(response.json()["data"]["lessons"]) == sections * lessons_per_section
