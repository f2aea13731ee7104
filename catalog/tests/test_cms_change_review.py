"""A published course's change reviewed in /cms/: submitted from the editor, compared with the live
version and decided through Wagtail's review task, while students keep the live version."""

import pytest
from django.urls import reverse

from lms_site.tests.factories import InstructorFactory

from .. import services
from ..models import ChangeStatus, CoursePage, CourseStatus, LessonPage
from .factories import changed_course, course_in
from .test_cms_workflow import (
    action_url,
    dashboard,
    edit_url,
    fresh,
    is_refused,
    lesson_changes,
    messages_of,
    post,
    post_editor,
)

pytestmark = pytest.mark.django_db


def compare_url(course):
    return reverse("wagtailadmin_pages:revisions_compare", args=[course.pk, "live", "latest"])


def change_of(course):
    return fresh(course).lifecycle.change_status


@pytest.fixture
def pending_change(admin):
    course = changed_course(admin)
    services.course_submit(course=course, user=course.owner)
    return fresh(course)


def test_the_owner_edits_a_live_course_and_submits_the_change(admin, client_for):
    course = course_in(CourseStatus.PUBLISHED, admin=admin, title="First edition")

    response = post_editor(
        client_for(course.owner), edit_url(course), {"title": "Second edition"}, action="submit"
    )

    assert response.status_code == 302
    course = fresh(course)
    assert (course.lifecycle.status, course.lifecycle.change_status) == (
        CourseStatus.PUBLISHED,
        ChangeStatus.PENDING,
    )
    assert course.workflow_in_progress
    assert CoursePage.objects.in_catalog().get(pk=course.pk).title == "First edition"
    assert course.get_latest_revision_as_object().title == "Second edition"


def test_the_admin_compares_the_change_with_the_live_version(pending_change, client_for, admin):
    response = client_for(admin).get(compare_url(pending_change))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<span class="deletion">First</span>' in html and '<span class="addition">Second</span>' in html


def test_another_instructor_cannot_compare_the_change(pending_change, client_for):
    response = client_for(InstructorFactory()).get(compare_url(pending_change))

    assert response.status_code in (302, 403, 404)
    assert "Second edition" not in response.content.decode()


def test_the_admin_approves_the_change_and_it_goes_live(pending_change, client_for, admin):
    response = post(client_for(admin), action_url(pending_change, "approve"))

    assert response.status_code == 302
    course = CoursePage.objects.in_catalog().get(pk=pending_change.pk)
    assert (course.title, course.lifecycle.change_status) == ("Second edition", ChangeStatus.NONE)
    assert LessonPage.objects.live().descendant_of(course).get().title == "Rewritten lesson"
    assert course.lifecycle.reviewed_by == admin


def test_the_admin_rejects_the_change_and_the_live_version_stays(pending_change, client_for, admin):
    response = post(client_for(admin), action_url(pending_change, "reject"), {"comment": "Keep it."})

    assert response.status_code == 302
    course = CoursePage.objects.in_catalog().get(pk=pending_change.pk)
    assert (course.title, course.lifecycle.change_status) == ("First edition", ChangeStatus.REJECTED)
    assert course.lifecycle.change_reason == "Keep it."
    assert not course.workflow_in_progress


def test_lessons_are_frozen_while_their_course_change_is_reviewed(pending_change, client_for):
    lesson = LessonPage.objects.descendant_of(pending_change).get()

    assert is_refused(client_for(pending_change.owner).get(edit_url(lesson)))


@pytest.mark.parametrize("part", ["course", "lesson"])
def test_an_admin_cannot_publish_a_page_ahead_of_the_change_review(pending_change, client_for, admin, part):
    page = pending_change if part == "course" else LessonPage.objects.descendant_of(pending_change).get()
    changes = {"title": "Blind"} if part == "course" else lesson_changes("Blind", "text")

    response = post_editor(client_for(admin), edit_url(page), changes, action="publish")

    assert "change under review" in " ".join(messages_of(response))
    assert type(page).objects.live().get(pk=page.pk).title != "Blind"
    assert change_of(pending_change) == ChangeStatus.PENDING


def test_dashboards_show_the_change_to_the_admin_and_its_state_to_the_owner(
    pending_change, client_for, admin
):
    admin_view = dashboard(client_for(admin))
    assert "Waiting for review (1)" in admin_view
    assert f'href="{compare_url(pending_change)}"' in admin_view

    services.course_reject(course=pending_change, user=admin, reason="Keep the old title.")
    owner_view = dashboard(client_for(pending_change.owner))
    assert "Change rejected: Keep the old title." in owner_view
