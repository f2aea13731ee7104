"""Changes to a published course: drafts reviewed before students see them, the course live throughout."""

import pytest
from wagtail.models import PageLogEntry

from lms_site.errors import InvalidTransition, NotAllowed, ValidationFailed
from lms_site.tests.factories import InstructorFactory

from .. import services
from ..models import ChangeStatus, CoursePage, CourseStatus, LessonPage, SectionPage
from .factories import changed_course, course_in

pytestmark = pytest.mark.django_db


def lifecycle_of(course):
    return CoursePage.objects.get(pk=course.pk).lifecycle


def live_titles(course) -> tuple[str, str]:
    """What students see: the live course's and its lesson's titles."""
    live = CoursePage.objects.in_catalog().get(pk=course.pk)
    return live.title, LessonPage.objects.live().descendant_of(live).get().title


def actions_logged(course) -> list[str]:
    return list(
        PageLogEntry.objects.filter(page=course, action__contains="_change")
        .order_by("timestamp", "pk")
        .values_list("action", flat=True)
    )


def test_an_approved_change_goes_live_with_its_lessons(admin, mailoutbox, django_capture_on_commit_callbacks):
    course = changed_course(admin)
    before = live_titles(course)
    assert before[0] == "First edition" and before[1] != "Rewritten lesson"

    with django_capture_on_commit_callbacks(execute=True):
        services.course_submit(course=course, user=course.owner)
    lifecycle = lifecycle_of(course)
    assert (lifecycle.status, lifecycle.change_status) == (CourseStatus.PUBLISHED, ChangeStatus.PENDING)
    assert course.workflow_states.active().count() == 1
    assert live_titles(course) == before  # students keep the live version while it is reviewed
    assert mailoutbox[-1].to == [admin.email]
    assert "submitted a change" in mailoutbox[-1].body

    with django_capture_on_commit_callbacks(execute=True):
        services.course_approve(course=CoursePage.objects.get(pk=course.pk), user=admin, comment="Good.")
    lifecycle = lifecycle_of(course)
    assert (lifecycle.status, lifecycle.change_status) == (CourseStatus.PUBLISHED, ChangeStatus.NONE)
    assert lifecycle.reviewed_by == admin and lifecycle.reviewed_at is not None
    assert live_titles(course) == ("Second edition", "Rewritten lesson")
    assert not CoursePage.objects.get(pk=course.pk).has_unpublished_changes
    assert course.workflow_states.active().count() == 0
    assert mailoutbox[-1].to == [course.owner.email]
    assert "is live" in mailoutbox[-1].subject
    assert actions_logged(course) == ["catalog.course.submit_change", "catalog.course.approve_change"]


def test_a_rejected_change_leaves_the_live_version_and_may_be_resubmitted(
    admin, mailoutbox, django_capture_on_commit_callbacks
):
    course = changed_course(admin)
    services.course_submit(course=course, user=course.owner)
    before = live_titles(course)

    with django_capture_on_commit_callbacks(execute=True):
        services.course_reject(course=course, user=admin, reason="Keep the old title.")
    lifecycle = lifecycle_of(course)
    assert (lifecycle.status, lifecycle.change_status) == (CourseStatus.PUBLISHED, ChangeStatus.REJECTED)
    assert lifecycle.change_reason == "Keep the old title."
    assert lifecycle.reason == ""  # the course's own review is untouched
    assert live_titles(course) == before
    assert CoursePage.objects.get(pk=course.pk).get_latest_revision_as_object().title == "Second edition"
    assert course.workflow_states.active().count() == 0
    assert "Keep the old title." in mailoutbox[-1].body
    assert "not approved" in mailoutbox[-1].subject

    services.course_submit(course=CoursePage.objects.get(pk=course.pk), user=course.owner)
    assert lifecycle_of(course).change_status == ChangeStatus.PENDING
    assert actions_logged(course) == [
        "catalog.course.submit_change",
        "catalog.course.reject_change",
        "catalog.course.submit_change",
    ]


def test_a_new_section_goes_live_only_with_its_approved_change(admin):
    course = course_in(CourseStatus.PUBLISHED, admin=admin)
    section = SectionPage(title="Bonus", slug="bonus", owner=course.owner, live=False)
    course.add_child(instance=section)
    section.save_revision(user=course.owner)
    assert not SectionPage.objects.get(pk=section.pk).live

    services.course_submit(course=course, user=course.owner)
    assert not SectionPage.objects.get(pk=section.pk).live
    services.course_approve(course=CoursePage.objects.get(pk=course.pk), user=admin)
    assert SectionPage.objects.get(pk=section.pk).live


def test_a_published_course_without_a_change_has_nothing_to_submit(admin):
    course = course_in(CourseStatus.PUBLISHED, admin=admin)
    with pytest.raises(InvalidTransition):
        services.course_submit(course=course, user=course.owner)
    assert lifecycle_of(course).change_status == ChangeStatus.NONE


def test_a_change_must_still_be_complete(admin):
    course = changed_course(admin, title=" ")
    with pytest.raises(ValidationFailed) as error:
        services.course_submit(course=course, user=course.owner)
    assert set(error.value.details) == {"title"}
    assert lifecycle_of(course).change_status == ChangeStatus.NONE


@pytest.mark.parametrize("person", ["student", "other instructor", "admin"])
def test_only_the_owner_submits_a_change(admin, student, person):
    course = changed_course(admin)
    user = {"student": student, "other instructor": InstructorFactory(), "admin": admin}[person]
    with pytest.raises(NotAllowed):
        services.course_submit(course=course, user=user)
    assert lifecycle_of(course).change_status == ChangeStatus.NONE


@pytest.mark.parametrize("person", ["student", "other instructor", "owner"])
@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_only_admins_decide_on_a_change(admin, student, person, decision):
    course = changed_course(admin)
    services.course_submit(course=course, user=course.owner)
    user = {"student": student, "other instructor": InstructorFactory(), "owner": course.owner}[person]
    with pytest.raises(NotAllowed):
        if decision == "approve":
            services.course_approve(course=course, user=user)
        else:
            services.course_reject(course=course, user=user, reason="No.")
    assert lifecycle_of(course).change_status == ChangeStatus.PENDING
    assert live_titles(course)[0] == "First edition"


def test_an_admin_who_owns_the_course_cannot_approve_its_change(admin):
    course = changed_course(admin)
    services.course_submit(course=course, user=course.owner)
    CoursePage.objects.filter(pk=course.pk).update(owner=admin)
    with pytest.raises(NotAllowed):
        services.course_approve(course=CoursePage.objects.get(pk=course.pk), user=admin)
    assert lifecycle_of(course).change_status == ChangeStatus.PENDING


def test_a_change_is_approved_once(admin):
    course = changed_course(admin)
    services.course_submit(course=course, user=course.owner)
    services.course_approve(course=course, user=admin)
    with pytest.raises(InvalidTransition):
        services.course_approve(course=CoursePage.objects.get(pk=course.pk), user=admin)


def test_the_owner_withdraws_a_pending_change(admin):
    course = changed_course(admin)
    services.course_submit(course=course, user=course.owner)
    services.course_withdraw(course=course, user=course.owner)
    assert lifecycle_of(course).change_status == ChangeStatus.NONE
    assert course.workflow_states.active().count() == 0
    assert live_titles(course)[0] == "First edition"


def test_unpublishing_closes_the_review_of_a_change(admin):
    course = changed_course(admin)
    services.course_submit(course=course, user=course.owner)
    services.course_unpublish(course=CoursePage.objects.get(pk=course.pk), user=admin)
    lifecycle = lifecycle_of(course)
    assert (lifecycle.status, lifecycle.change_status) == (CourseStatus.DRAFT, ChangeStatus.NONE)
    assert course.workflow_states.active().count() == 0
    # As a draft it goes through the course's own review again, edits included.
    services.course_submit(course=CoursePage.objects.get(pk=course.pk), user=course.owner)
    assert lifecycle_of(course).status == CourseStatus.PENDING
