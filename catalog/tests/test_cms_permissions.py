"""Ways around the course review through Wagtail's own views: each one must be closed."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from lms_site.tests.factories import InstructorFactory

from ..models import CoursePage, CourseStatus, LessonPage, SectionPage
from .factories import build_course, course_in
from .test_cms_workflow import (
    add_url,
    edit_url,
    fresh,
    is_refused,
    lesson_changes,
    messages_of,
    post,
    post_editor,
    status_of,
)

pytestmark = pytest.mark.django_db


def is_hidden(response):
    """Another instructor's pages are not there for an instructor in /cms/ (catalog.cms_vendors)."""
    return response.status_code == 404


def first_lesson(course):
    return LessonPage.objects.descendant_of(course).first()


@pytest.mark.parametrize("status", [CourseStatus.DRAFT, CourseStatus.PUBLISHED])
def test_instructor_publish_button_only_saves_a_draft(status, admin, client_for):
    course = course_in(status, admin=admin)
    response = post_editor(
        client_for(course.owner), edit_url(course), {"title": "Self-published"}, action="publish"
    )
    assert response.status_code == 302
    after = fresh(course)
    assert after.get_latest_revision_as_object().title == "Self-published"
    assert (after.live, after.live_revision_id) == (course.live, course.live_revision_id)
    assert after.lifecycle.status == status


def test_instructor_cannot_open_their_approved_course(admin, client_for):
    """Approved content is what was reviewed: it stays as it is until it is published."""
    course = course_in(CourseStatus.APPROVED, admin=admin)
    assert is_refused(client_for(course.owner).get(edit_url(course)))


def test_instructor_cannot_add_a_section_to_another_instructors_course(instructor, client_for):
    course = build_course()
    response = post(client_for(instructor), add_url(SectionPage, course), {"title": "Mine", "slug": "mine"})
    assert is_hidden(response)
    assert not SectionPage.objects.filter(title="Mine").exists()


def test_instructor_cannot_add_a_lesson_to_another_instructors_course(instructor, client_for):
    section = SectionPage.objects.child_of(build_course()).get()
    response = post(client_for(instructor), add_url(LessonPage, section), lesson_changes("Mine", "text"))
    assert is_hidden(response)
    assert not LessonPage.objects.filter(title="Mine").exists()


@pytest.mark.parametrize("page", ["course", "lesson"])
def test_instructor_cannot_edit_another_instructors_pages(page, instructor, client_for):
    course = build_course()
    target = course if page == "course" else first_lesson(course)
    client = client_for(instructor)
    assert is_hidden(client.get(edit_url(target)))
    assert is_hidden(post(client, edit_url(target), {"title": "Mine"}))
    assert fresh(target).title != "Mine"
    assert fresh(target).revisions.count() == 1


def test_instructor_cannot_edit_a_lesson_of_their_pending_course(admin, client_for):
    course = course_in(CourseStatus.PENDING, admin=admin)
    lesson = first_lesson(course)
    client = client_for(course.owner)
    assert is_refused(client.get(edit_url(lesson)))
    assert is_refused(post(client, edit_url(lesson), lesson_changes("Changed in review", "text")))
    assert fresh(lesson).get_latest_revision_as_object().title != "Changed in review"


def test_instructor_cannot_add_a_section_to_their_pending_course(admin, client_for):
    course = course_in(CourseStatus.PENDING, admin=admin)
    response = post(client_for(course.owner), add_url(SectionPage, course), {"title": "Late", "slug": "late"})
    assert is_refused(response)
    assert not SectionPage.objects.filter(title="Late").exists()


def test_the_review_locks_the_pending_course_page_for_its_instructor(admin, client_for):
    course = course_in(CourseStatus.PENDING, admin=admin)
    revisions = course.revisions.count()
    response = post_editor(client_for(course.owner), edit_url(course), {"title": "Changed in review"})
    assert response.status_code == 200
    assert "locked" in " ".join(str(message) for message in response.context["messages"])
    assert course.revisions.count() == revisions
    assert fresh(course).title != "Changed in review"


def test_instructor_edits_their_rejected_course(admin, client_for):
    course = course_in(CourseStatus.REJECTED, admin=admin)
    response = post_editor(client_for(course.owner), edit_url(course), {"title": "Better"})
    assert response.status_code == 302
    assert fresh(course).title == "Better"
    assert status_of(course) == CourseStatus.REJECTED


@pytest.mark.parametrize("url", ["wagtailadmin_home", "wagtailadmin_explore_root"])
def test_students_have_no_cms_access(url, student, client_for):
    response = client_for(student).get(reverse(url))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_instructor_cannot_delete_their_published_course(admin, client_for):
    course = course_in(CourseStatus.PUBLISHED, admin=admin)
    response = post(client_for(course.owner), reverse("wagtailadmin_pages:delete", args=[course.pk]))
    assert is_refused(response)
    assert CoursePage.objects.in_catalog().filter(pk=course.pk).exists()


def test_instructor_deletes_their_draft_course(instructor, client_for):
    course = build_course(owner=instructor)
    response = post(client_for(instructor), reverse("wagtailadmin_pages:delete", args=[course.pk]))
    assert response.status_code == 302
    assert not CoursePage.objects.filter(pk=course.pk).exists()


def test_instructor_cannot_unpublish_their_course(admin, client_for):
    course = course_in(CourseStatus.PUBLISHED, admin=admin)
    response = post(client_for(course.owner), reverse("wagtailadmin_pages:unpublish", args=[course.pk]))
    assert is_refused(response)
    assert status_of(course) == CourseStatus.PUBLISHED
    assert fresh(course).live


def test_another_instructor_cannot_cancel_the_review(admin, client_for):
    course = course_in(CourseStatus.PENDING, admin=admin)
    response = post(client_for(InstructorFactory()), edit_url(course), {"action-cancel-workflow": "1"})
    assert is_hidden(response)
    assert status_of(course) == CourseStatus.PENDING


def bulk_publish_url(*pages):
    return (
        reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
        + "?"
        + urlencode([("id", page.pk) for page in pages])
    )


@pytest.mark.parametrize("status", [CourseStatus.DRAFT, CourseStatus.PENDING])
def test_admin_bulk_publish_of_an_unapproved_course_is_refused(status, admin, client_for):
    course = course_in(status, admin=admin)
    response = post(client_for(admin), bulk_publish_url(course), {"include_descendants": "on"})
    assert "reviewed and approved" in " ".join(messages_of(response))
    assert status_of(course) == status
    assert not fresh(course).get_descendants(inclusive=True).live().exists()


def test_instructor_bulk_publish_is_refused(client_for):
    course = build_course()
    post(client_for(course.owner), bulk_publish_url(course), {"include_descendants": "on"})
    assert not fresh(course).get_descendants(inclusive=True).live().exists()


def test_admin_bulk_publish_of_an_approved_course_publishes_it(admin, client_for):
    course = course_in(CourseStatus.APPROVED, admin=admin)
    post(client_for(admin), bulk_publish_url(course), {"include_descendants": "on"})
    assert status_of(course) == CourseStatus.PUBLISHED
    assert all(page.live for page in fresh(course).get_descendants(inclusive=True))


def reorder(client, page, position):
    url = reverse("wagtailadmin_pages:set_page_position", args=[page.pk]) + f"?position={position}"
    return client.post(url)


def section_titles(course):
    return list(SectionPage.objects.child_of(course).order_by("path").values_list("title", flat=True))


def test_instructor_cannot_reorder_the_live_outline_of_their_published_course(admin, client_for):
    """The order students see is the tree's, which has no draft: a move would show at once."""
    course = course_in(CourseStatus.PUBLISHED, admin=admin, sections=2)
    before = section_titles(course)
    assert is_refused(reorder(client_for(course.owner), SectionPage.objects.child_of(course).last(), 0))
    assert section_titles(course) == before


def test_instructor_cannot_move_their_lesson_into_another_instructors_course(instructor, client_for):
    lesson = LessonPage.objects.descendant_of(build_course(owner=instructor)).get()
    theirs = SectionPage.objects.child_of(build_course()).get()
    url = reverse("wagtailadmin_pages:move_confirm", args=[lesson.pk, theirs.pk])
    assert is_hidden(post(client_for(instructor), url))
    assert not LessonPage.objects.child_of(theirs).filter(pk=lesson.pk).exists()


def test_instructor_cannot_bulk_delete_a_lesson_of_their_course_in_review(admin, client_for):
    course = course_in(CourseStatus.PENDING, admin=admin)
    lesson = first_lesson(course)
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"]) + f"?id={lesson.pk}"
    post(client_for(course.owner), url)
    assert LessonPage.objects.filter(pk=lesson.pk).exists()
