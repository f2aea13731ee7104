"""The catalog's pages cost the same number of queries however many courses, sections or lessons."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from ..models import CourseStatus
from .factories import course_in

pytestmark = pytest.mark.django_db


def queries_for(client, url) -> int:
    """Queries of a second request: the first fills caches and makes the image renditions."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def publish_courses(admin, count, **build):
    for _ in range(count):
        thumbnail = Image.objects.create(title="Cover", file=get_test_image_file())
        course_in(CourseStatus.PUBLISHED, admin=admin, thumbnail=thumbnail, **build)


@pytest.mark.parametrize("url", ["/courses/", "/"])
def test_course_list_queries_do_not_grow_with_courses(client, admin, url):
    publish_courses(admin, 1)
    one = queries_for(client, url)

    publish_courses(admin, 11)
    twelve = queries_for(client, url)

    assert one == twelve


@pytest.mark.parametrize("who", ["anonymous", "student", "owner"])
def test_course_page_queries_do_not_grow_with_its_outline(client, admin, student, who):
    small = course_in(CourseStatus.PUBLISHED, admin=admin, sections=1, lessons_per_section=1)
    large = course_in(
        CourseStatus.PUBLISHED,
        admin=admin,
        owner=small.owner,
        sections=3,
        lessons_per_section=4,
        lesson_types=("video", "text", "quiz", "assignment"),
    )
    if who != "anonymous":
        client.force_login(student if who == "student" else small.owner)

    assert queries_for(client, small.url) == queries_for(client, large.url)
