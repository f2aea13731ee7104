import pytest

from lms_site.errors import InvalidTransition, NotAllowed, ValidationFailed
from lms_site.tests.factories import InstructorFactory

from .. import services
from ..models import CoursePage, CourseStatus
from .factories import CoursePageFactory, build_course, course_in

pytestmark = pytest.mark.django_db


def status_of(course):
    return CoursePage.objects.get(pk=course.pk).lifecycle.status


def test_full_cycle_reject_resubmit_approve_publish(admin, mailoutbox, django_capture_on_commit_callbacks):
    course = build_course(
        lesson_types=("video", "text", "quiz", "assignment", "resource"), lessons_per_section=5
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.course_submit(course=course, user=course.owner)
    assert status_of(course) == CourseStatus.PENDING
    assert course.current_workflow_state is not None
    assert mailoutbox[-1].to == [admin.email]

    with django_capture_on_commit_callbacks(execute=True):
        services.course_reject(course=course, user=admin, reason="Add a summary.")
    assert status_of(course) == CourseStatus.REJECTED
    assert "Add a summary." in mailoutbox[-1].body
    assert course.workflow_states.active().count() == 0

    services.course_submit(course=course, user=course.owner)
    services.course_approve(course=course, user=admin)
    assert status_of(course) == CourseStatus.APPROVED
    assert not CoursePage.objects.get(pk=course.pk).live  # approval does not publish

    services.course_publish(course=course, user=admin)
    live = CoursePage.objects.get(pk=course.pk)
    assert live.live and live.lifecycle.status == CourseStatus.PUBLISHED
    assert live.lifecycle.published_at is not None
    assert all(page.live for page in live.get_descendants())
    assert CoursePage.objects.in_catalog().filter(pk=course.pk).exists()

    services.course_unpublish(course=live, user=admin)
    assert status_of(course) == CourseStatus.DRAFT
    assert not CoursePage.objects.in_catalog().filter(pk=course.pk).exists()


def test_incomplete_course_cannot_be_submitted():
    course = CoursePageFactory(description="", category=None)
    with pytest.raises(ValidationFailed) as error:
        services.course_submit(course=course, user=course.owner)
    assert set(error.value.details) == {"description", "category", "sections"}
    assert status_of(course) == CourseStatus.DRAFT


def test_another_instructor_cannot_submit():
    course = build_course()
    with pytest.raises(NotAllowed):
        services.course_submit(course=course, user=InstructorFactory())


def test_owner_cannot_approve_own_course_even_as_admin(admin):
    course = course_in(CourseStatus.PENDING, admin=admin)
    with pytest.raises(NotAllowed):
        services.course_approve(course=course, user=course.owner)


def test_approving_twice_is_an_invalid_transition(admin):
    course = course_in(CourseStatus.APPROVED, admin=admin)
    with pytest.raises(InvalidTransition):
        services.course_approve(course=course, user=admin)


def test_reject_needs_a_reason(admin):
    course = course_in(CourseStatus.PENDING, admin=admin)
    with pytest.raises(ValidationFailed):
        services.course_reject(course=course, user=admin, reason="  ")
    assert status_of(course) == CourseStatus.PENDING


def test_each_review_step_sends_only_the_platforms_own_email_after_commit(
    admin, mailoutbox, django_capture_on_commit_callbacks
):
    course = build_course()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.course_submit(course=course, user=course.owner)
        services.course_approve(course=course, user=admin)
    assert mailoutbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    assert [message.to for message in mailoutbox] == [[admin.email], [course.owner.email]]


@pytest.mark.parametrize(
    ("status", "act", "subject"),
    [
        (CourseStatus.PENDING, "course_approve", "Your course “Optics” was approved"),
        (CourseStatus.APPROVED, "course_publish", "Your course “Optics” is live"),
        (CourseStatus.PUBLISHED, "course_unpublish", "Your course “Optics” was unpublished"),
    ],
)
def test_the_instructor_is_told_in_plain_words(
    admin, status, act, subject, mailoutbox, django_capture_on_commit_callbacks
):
    course = course_in(status, admin=admin, title="Optics")
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        getattr(services, act)(course=course, user=admin)

    ours = [email for email in mailoutbox if email.to == [course.owner.email]]
    assert subject in [email.subject for email in ours]
    assert all(" is draft" not in email.subject for email in ours)
