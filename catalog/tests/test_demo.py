from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse

from lms_site.models import InstructorRequest, Role, User

from ..models import CoursePage, CourseStatus, LessonPage, LessonType

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_demo_has_courses_in_every_status_by_two_instructors_and_every_lesson_type():
    seed()
    courses = CoursePage.objects.select_related("lifecycle")
    assert {course.lifecycle.status for course in courses} == set(CourseStatus.values)
    assert courses.values("owner").distinct().count() == 2
    assert set(LessonPage.objects.values_list("lesson_type", flat=True)) == set(LessonType.values)
    published = courses.filter(lifecycle__status=CourseStatus.PUBLISHED)
    assert list(CoursePage.objects.in_catalog().order_by("pk")) == list(published.order_by("pk"))
    assert all(LessonPage.objects.descendant_of(course).not_live().count() == 0 for course in published)


def test_demo_is_idempotent_and_prints_the_accounts():
    seed()
    counts = (User.objects.count(), CoursePage.objects.count(), InstructorRequest.objects.count())
    output = seed()
    assert (User.objects.count(), CoursePage.objects.count(), InstructorRequest.objects.count()) == counts
    assert "LearnDemo2026" in output and "instructor2@example.com" in output
    assert User.objects.filter(role=Role.INSTRUCTOR).count() == 2


def test_demo_video_plays_from_a_small_file_of_the_site(client, settings):
    seed()
    welcome = LessonPage.objects.filter(lesson_type=LessonType.VIDEO, title="Welcome").first()
    [video] = [block.value for block in welcome.body if block.block_type == "video"]
    path = urlsplit(video["url"]).path

    assert video["url"] == f"{settings.SITE_URL}{path}"
    clip = Path(finders.find(path.removeprefix(settings.STATIC_URL))).read_bytes()
    assert clip.startswith(b"\x1a\x45\xdf\xa3") and 1_000 < len(clip) < 20_000  # WebM, a few KB
    page = client.get(welcome.url).content.decode()  # a free preview: anyone may watch
    assert f'<video class="video__player" src="{video["url"]}"' in page


def test_the_cms_dashboard_asks_nothing_of_the_internet(admin, client):
    client.force_login(admin)

    dashboard = client.get(reverse("wagtailadmin_home"))

    assert dashboard.status_code == 200
    assert "w-upgrade" not in dashboard.content.decode()  # Wagtail's release check, off by default
