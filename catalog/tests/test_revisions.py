"""Wagtail rebuilds pages from revisions and copies them; the lifecycle and what students see must hold."""

import pytest
from django.test import Client
from django.urls import reverse

from ..models import CourseIndexPage, CoursePage, CourseStats, CourseStatus, LessonPage
from .factories import course_in
from .test_cms_workflow import edit_url, fresh, lesson_changes, post, post_editor, status_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(admin):
    return course_in(CourseStatus.PUBLISHED, admin=admin)


def test_reverting_to_an_older_revision_keeps_the_course_published(published, admin, client_for):
    first = published.revisions.order_by("created_at").first()  # saved while the course was a draft
    client = client_for(admin)
    post_editor(client, edit_url(published), {"title": "Second edition"}, action="publish")
    assert fresh(published).title == "Second edition"
    revert_url = reverse("wagtailadmin_pages:revisions_revert", args=[published.pk, first.pk])
    response = post_editor(client, revert_url, action="publish")
    assert response.status_code == 302
    course = fresh(published)
    assert (course.title, course.live) == (first.as_object().title, True)
    assert course.lifecycle.status == CourseStatus.PUBLISHED
    assert CoursePage.objects.in_catalog().filter(pk=course.pk).exists()


def test_publishing_an_old_revision_directly_keeps_the_course_published(published, admin):
    published.revisions.order_by("created_at").first().publish(user=admin)
    assert status_of(published) == CourseStatus.PUBLISHED
    assert fresh(published).live


@pytest.mark.parametrize("status", [CourseStatus.DRAFT, CourseStatus.REJECTED])
def test_a_revision_of_an_unapproved_course_published_by_hand_is_taken_offline(status, admin):
    course = course_in(status, admin=admin)
    for page in course.get_descendants(inclusive=True).specific():
        page.get_latest_revision().publish(user=admin)
    assert status_of(course) == status
    assert not fresh(course).get_descendants(inclusive=True).live().exists()


def test_copying_a_published_course_starts_a_fresh_draft(published, admin, client_for):
    CourseStats.objects.filter(course=published).update(enrollment_count=7, review_count=2, average_rating=4)
    response = post(
        client_for(admin),
        reverse("wagtailadmin_pages:copy", args=[published.pk]),
        {
            "new_title": "Copy",
            "new_slug": "copy",
            "new_parent_page": CourseIndexPage.objects.get().pk,
            "copy_subpages": "on",
            "publish_copies": "on",
        },
    )
    assert response.status_code == 302
    copy = CoursePage.objects.get(slug="copy")
    assert copy.lifecycle.status == CourseStatus.DRAFT
    assert (copy.lifecycle.submitted_at, copy.lifecycle.published_at) == (None, None)
    assert (copy.stats.enrollment_count, copy.stats.review_count, copy.stats.average_rating) == (0, 0, 0)
    assert not copy.get_descendants(inclusive=True).live().exists()  # live only once published
    assert not CoursePage.objects.in_catalog().filter(pk=copy.pk).exists()
    assert status_of(published) == CourseStatus.PUBLISHED


def test_page_copy_starts_a_fresh_draft(published):
    copy = published.copy(to=published.get_parent(), update_attrs={"title": "Copy", "slug": "copy"})
    copy = fresh(copy)
    assert copy.lifecycle.status == CourseStatus.DRAFT
    assert copy.stats.enrollment_count == 0
    assert not copy.live


def test_instructor_draft_of_a_published_course_stays_out_of_sight(published, client_for):
    live_title = published.title
    response = post_editor(client_for(published.owner), edit_url(published), {"title": "Unreviewed title"})
    assert response.status_code == 302
    course = fresh(published)
    assert course.title == live_title
    assert course.get_latest_revision_as_object().title == "Unreviewed title"
    assert course.lifecycle.status == CourseStatus.PUBLISHED
    page = Client().get(course.url)
    assert live_title in page.content.decode()
    assert "Unreviewed title" not in page.content.decode()


def test_instructor_draft_of_a_published_lesson_stays_out_of_sight(published, client_for):
    lesson = LessonPage.objects.descendant_of(published).get()
    response = post_editor(
        client_for(published.owner), edit_url(lesson), lesson_changes("Unreviewed lesson", "text")
    )
    assert response.status_code == 302
    assert (fresh(lesson).title, fresh(lesson).live) == (lesson.title, True)
    assert status_of(published) == CourseStatus.PUBLISHED
