import pytest
from django.db import IntegrityError, transaction

from lms_site import services
from lms_site.errors import Conflict, InvalidTransition, NotAllowed, ValidationFailed
from lms_site.models import InstructorRequest, Role
from lms_site.tests.factories import InstructorRequestFactory, StudentFactory

pytestmark = pytest.mark.django_db


def test_database_refuses_a_second_pending_request(student):
    InstructorRequestFactory(applicant=student)

    with pytest.raises(IntegrityError), transaction.atomic():
        InstructorRequest.objects.create(applicant=student, motivation="again")


def test_status_cannot_be_assigned_directly(student):
    request = InstructorRequestFactory(applicant=student)

    with pytest.raises(AttributeError):
        request.status = InstructorRequest.Status.APPROVED


def test_submit_requires_motivation(student):
    with pytest.raises(ValidationFailed) as excinfo:
        services.instructor_request_submit(applicant=student, motivation="   ")
    assert "motivation" in excinfo.value.details


def test_submit_refuses_second_pending_request(student):
    services.instructor_request_submit(applicant=student, motivation="first")

    with pytest.raises(Conflict):
        services.instructor_request_submit(applicant=student, motivation="second")


def test_instructor_cannot_submit(instructor):
    with pytest.raises(NotAllowed):
        services.instructor_request_submit(applicant=instructor, motivation="more")


def test_instructor_cannot_decide_requests(instructor):
    request = InstructorRequestFactory()

    with pytest.raises(NotAllowed):
        services.instructor_request_approve(instructor_request=request, reviewer=instructor)
    with pytest.raises(NotAllowed):
        services.instructor_request_reject(instructor_request=request, reviewer=instructor, reason="no")


def test_decided_request_cannot_be_decided_again(admin):
    request = InstructorRequestFactory(rejected_by=admin)

    with pytest.raises(InvalidTransition):
        services.instructor_request_approve(instructor_request=request, reviewer=admin)
    request.applicant.refresh_from_db()
    assert request.applicant.role == Role.STUDENT


def test_approval_records_reviewer_time_and_note(admin):
    request = InstructorRequestFactory()

    decided = services.instructor_request_approve(
        instructor_request=request, reviewer=admin, reason="Welcome"
    )

    assert (decided.status, decided.reviewer, decided.decision_reason) == ("approved", admin, "Welcome")
    assert decided.reviewed_at is not None


def test_failed_role_change_rolls_back_the_approval(admin, monkeypatch):
    request = InstructorRequestFactory()

    def boom(**kwargs):
        raise RuntimeError("role service down")

    monkeypatch.setattr(services, "user_change_role", boom)
    with pytest.raises(RuntimeError):
        services.instructor_request_approve(instructor_request=request, reviewer=admin)

    request.refresh_from_db()
    assert request.status == "pending"
    assert request.reviewer is None


def test_only_the_applicant_withdraws_a_request(admin):
    request = InstructorRequestFactory()

    with pytest.raises(NotAllowed):
        services.instructor_request_withdraw(instructor_request=request, user=admin)
    with pytest.raises(NotAllowed):
        services.instructor_request_withdraw(instructor_request=request, user=StudentFactory())

    withdrawn = services.instructor_request_withdraw(instructor_request=request, user=request.applicant)
    assert withdrawn.status == InstructorRequest.Status.WITHDRAWN
    with pytest.raises(InvalidTransition):
        services.instructor_request_withdraw(instructor_request=request, user=request.applicant)
