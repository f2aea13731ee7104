"""The video player remembers where the student stopped, in a real browser."""

import re

import pytest
from django.templatetags.static import static
from playwright.sync_api import expect

from lms_site.tests.factories import AdminFactory, StudentFactory

from .. import services
from ..models import LessonProgress
from .factories import assignment_rules, lessons_of, published_course
from .test_journeys import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("migrated_rows_restored"),
]


def test_a_video_lesson_resumes_where_the_student_stopped(people, site_url):
    course = published_course(admin=AdminFactory(), lesson_types=("video",))
    lesson = assignment_rules(lessons_of(course)[0], url=f"{site_url}{static('catalog/demo/welcome.webm')}")
    student = StudentFactory()
    services.enrollment_create(student=student, course=course)
    page = people["student"]
    log_in(page, student.email, then=lesson.url)
    body = page.locator("[data-video-progress-url]")
    expect(body).to_have_attribute("data-video-position", "0")

    page.locator("video").evaluate("video => { video.muted = true; video.play(); }")

    expect(body).to_have_attribute("data-video-reported", "5")  # the clip ends after 5 s: reported
    assert LessonProgress.objects.get(lesson=lesson).position_seconds == 5

    page.goto("/learning/")
    page.get_by_role("link", name=re.compile(r"^Continue")).click()  # a lesson opened: no longer "Start"
    expect(body).to_have_attribute("data-video-position", "5")
    page.wait_for_function("document.querySelector('video').currentTime >= 4")
