"""Instructor requests in the unfold admin: the sidebar count and the decisions taken from the list."""

import pytest
from django.urls import reverse

from lms_site import services
from lms_site.admin_badges import pending_instructor_requests
from lms_site.models import AccountEvent, InstructorRequest, Role, User
from lms_site.tests.factories import InstructorRequestFactory, StudentFactory, activate_authenticator_app

from .admin_client import messages_of

pytestmark = pytest.mark.django_db

REQUESTS_URL = reverse("admin:lms_site_instructorrequest_changelist")
BECOME_INSTRUCTOR_URL = "http://testserver" + reverse("lms_site:become_instructor")


@pytest.fixture
def pending(db):
    return InstructorRequestFactory()


def row_url(action, instructor_request):
    return reverse(f"admin:lms_site_instructorrequest_{action}_row", args=[instructor_request.pk])


def decide(client, action, instructor_request, reason=""):
    return client.post(row_url(action, instructor_request), {"reason": reason, "_form_submitted": "True"})


def test_badge_counts_pending_requests_in_one_query(rf, admin, django_assert_num_queries):
    InstructorRequestFactory.create_batch(2)
    InstructorRequestFactory(rejected_by=admin)

    with django_assert_num_queries(1):
        count = pending_instructor_requests(rf.get("/admin/"))

    assert count == 2


def test_badge_is_hidden_when_nothing_waits(rf, admin):
    InstructorRequestFactory(rejected_by=admin)

    assert pending_instructor_requests(rf.get("/admin/")) is None


def test_sidebar_shows_the_pending_count_on_instructor_requests(admin_client, pending):
    response = admin_client.get(reverse("admin:index"))

    [item] = [
        item
        for group in response.context["sidebar_navigation"]
        for item in group["items"]
        if str(item["link"]) == REQUESTS_URL
    ]
    assert str(item["badge_callback"]) == "1"


def test_request_list_offers_approve_and_reject_on_each_row(admin_client, pending):
    response = admin_client.get(REQUESTS_URL)

    assert row_url("approve", pending) in response.text
    assert row_url("reject", pending) in response.text


def test_row_approve_first_asks_on_a_page_and_changes_nothing(admin_client, pending):
    response = admin_client.get(row_url("approve", pending))

    assert response.status_code == 200
    assert response.templates[0].name == "admin/lms_site/instructorrequest/decide.html"
    assert pending.motivation in response.text
    pending.refresh_from_db()
    assert pending.status == InstructorRequest.Status.PENDING


def test_row_approve_makes_the_applicant_an_instructor_and_tells_them(
    admin_client, admin, pending, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(admin_client, "approve", pending, reason="Welcome aboard")

    assert (response.status_code, response["Location"]) == (302, REQUESTS_URL)
    assert messages_of(response) == [("success", "Approved.")]
    pending.refresh_from_db()
    assert (pending.status, pending.reviewer, pending.decision_reason) == (
        InstructorRequest.Status.APPROVED,
        admin,
        "Welcome aboard",
    )
    applicant = pending.applicant
    applicant.refresh_from_db()
    assert applicant.role == Role.INSTRUCTOR
    assert set(applicant.groups.values_list("name", flat=True)) == {"Instructors", f"Library {applicant.pk}"}
    event = AccountEvent.objects.get(user=applicant)
    assert (event.actor, event.from_value, event.to_value) == (admin, Role.STUDENT, Role.INSTRUCTOR)
    [email] = mailoutbox
    assert email.to == [applicant.email]


def test_row_reject_records_the_reason_and_emails_it_with_a_link_to_apply_again(
    admin_client, admin, pending, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(admin_client, "reject", pending, reason="Show us a sample lesson first.")

    assert (response.status_code, response["Location"]) == (302, REQUESTS_URL)
    assert messages_of(response) == [("success", "Rejected.")]
    pending.refresh_from_db()
    assert (pending.status, pending.reviewer, pending.decision_reason) == (
        InstructorRequest.Status.REJECTED,
        admin,
        "Show us a sample lesson first.",
    )
    assert pending.applicant.role == Role.STUDENT
    [email] = mailoutbox
    assert email.to == [pending.applicant.email]
    assert "Show us a sample lesson first." in email.body
    assert BECOME_INSTRUCTOR_URL in email.body
    assert BECOME_INSTRUCTOR_URL in email.alternatives[0].content


def test_row_reject_without_a_reason_asks_again_and_changes_nothing(admin_client, pending, mailoutbox):
    response = decide(admin_client, "reject", pending, reason="  ")

    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    pending.refresh_from_db()
    assert (pending.status, pending.reviewer) == (InstructorRequest.Status.PENDING, None)
    assert mailoutbox == []


def test_row_decision_on_a_decided_request_is_reported_not_raised(admin_client, admin):
    rejected = InstructorRequestFactory(rejected_by=admin)

    response = decide(admin_client, "approve", rejected)

    assert (response.status_code, response["Location"]) == (302, REQUESTS_URL)
    assert messages_of(response) == [("error", "This request has already been rejected.")]
    rejected.refresh_from_db()
    assert rejected.status == InstructorRequest.Status.REJECTED
    assert rejected.applicant.role == Role.STUDENT


@pytest.mark.parametrize("action", ["approve", "reject"])
def test_staff_who_is_not_an_admin_cannot_decide_from_the_list(client, pending, action):
    staff = StudentFactory()
    User.objects.filter(pk=staff.pk).update(is_staff=True)
    activate_authenticator_app(staff)  # staff pass the two-factor requirement; the role check is tested
    client.force_login(staff)

    response = decide(client, action, pending, reason="because")

    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.status == InstructorRequest.Status.PENDING


def test_instructor_cannot_decide_from_the_list(client, instructor, pending):
    client.force_login(instructor)

    response = decide(client, "approve", pending)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    pending.refresh_from_db()
    assert pending.status == InstructorRequest.Status.PENDING


def test_request_lifecycle_rejected_then_approved_from_the_list(
    admin_client, admin, student, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.instructor_request_submit(applicant=student, motivation="I teach chemistry.")
        decide(admin_client, "reject", first, reason="Not yet.")
        second = services.instructor_request_submit(applicant=student, motivation="Here is a sample lesson.")
        decide(admin_client, "approve", second)

    first.refresh_from_db()
    second.refresh_from_db()
    student.refresh_from_db()
    assert (first.status, second.status) == (
        InstructorRequest.Status.REJECTED,
        InstructorRequest.Status.APPROVED,
    )
    assert student.role == Role.INSTRUCTOR
    assert list(AccountEvent.objects.filter(user=student).values_list("actor", "to_value")) == [
        (admin.pk, Role.INSTRUCTOR)
    ]
    assert [email.to for email in mailoutbox] == [
        [admin.email],
        [student.email],
        [admin.email],
        [student.email],
    ]
    assert pending_instructor_requests(None) is None
