"""Changes to published courses in the admin panel's Course reviews: listed first, compared, decided."""

import pytest
from django.urls import reverse

from lms_site.models import Role, User
from lms_site.tests.admin_client import messages_of
from lms_site.tests.factories import activate_authenticator_app

from .. import services
from ..admin_badges import pending_course_reviews
from ..models import ChangeStatus, CoursePage, CourseStatus
from .factories import changed_course, course_in
from .test_admin_moderation import QUEUE_URL, lifecycle_of, listed, row_url, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending_change(admin):
    course = changed_course(admin)
    services.course_submit(course=course, user=course.owner)
    return CoursePage.objects.get(pk=course.pk)


def live_title(course):
    return CoursePage.objects.in_catalog().get(pk=course.pk).title


def test_queue_lists_pending_changes_first_with_a_comparison(admin_client, admin, pending_change):
    course_in(CourseStatus.PUBLISHED, admin=admin)

    response = admin_client.get(QUEUE_URL)

    assert listed(response)[0] == pending_change.pk
    html = response.text
    assert "Change pending review" in html
    compare = reverse("wagtailadmin_pages:revisions_compare", args=[pending_change.pk, "live", "latest"])
    assert html.count(f'href="{compare}"') == 1


def test_queue_filters_by_change_status(admin_client, admin, pending_change):
    course_in(CourseStatus.PUBLISHED, admin=admin)

    response = admin_client.get(QUEUE_URL, {"change_status__exact": ChangeStatus.PENDING})

    assert listed(response) == [pending_change.pk]


def test_badge_counts_pending_changes(rf, admin, pending_change):
    course_in(CourseStatus.PENDING, admin=admin)

    assert pending_course_reviews(rf.get("/admin/")) == 2


def test_row_approve_puts_the_change_live(admin_client, admin, pending_change):
    response = admin_client.post(row_url("approve", pending_change), submitted(reason=""))

    assert (response.status_code, response["Location"]) == (302, QUEUE_URL)
    assert messages_of(response) == [("success", "1 course approved.")]
    lifecycle = lifecycle_of(pending_change)
    assert (lifecycle.change_status, lifecycle.reviewed_by) == (ChangeStatus.NONE, admin)
    assert live_title(pending_change) == "Second edition"


def test_row_reject_keeps_the_live_version(admin_client, pending_change):
    admin_client.post(row_url("reject", pending_change), submitted(reason="Keep the old title."))

    lifecycle = lifecycle_of(pending_change)
    assert (lifecycle.change_status, lifecycle.change_reason) == (
        ChangeStatus.REJECTED,
        "Keep the old title.",
    )
    assert live_title(pending_change) == "First edition"


def test_admin_cannot_approve_their_own_change(client, pending_change):
    owner = pending_change.owner
    User.objects.filter(pk=owner.pk).update(role=Role.ADMIN, is_staff=True, is_superuser=True)
    activate_authenticator_app(owner)  # admins pass the two-factor requirement; ownership is tested
    client.force_login(owner)

    response = client.post(row_url("approve", pending_change), submitted(reason=""))

    [(level, text)] = messages_of(response)
    assert level == "error" and "Only an admin other than its instructor" in text
    assert lifecycle_of(pending_change).change_status == ChangeStatus.PENDING
    assert live_title(pending_change) == "First edition"


def test_an_instructor_cannot_reach_the_queue_to_approve(client, pending_change):
    client.force_login(pending_change.owner)

    response = client.post(row_url("approve", pending_change), submitted(reason=""))

    assert response.status_code == 302 and "login" in response["Location"]
    assert lifecycle_of(pending_change).change_status == ChangeStatus.PENDING
