import pytest
from django.urls import reverse

from lms_site import services
from lms_site.errors import NotAllowed, ValidationFailed
from lms_site.models import AccountEvent, Role
from lms_site.tests.factories import PASSWORD, StudentFactory

pytestmark = pytest.mark.django_db


def group_names(user):
    return set(user.groups.values_list("name", flat=True))


def test_new_student_is_in_students_group_only(student):
    assert group_names(student) == {"Students"}
    assert not student.is_staff


def test_admin_promotes_student_to_instructor_and_it_is_audited(admin, student):
    services.user_change_role(user=student, role=Role.INSTRUCTOR, changed_by=admin, reason="approved")

    student.refresh_from_db()
    assert student.role == Role.INSTRUCTOR
    assert group_names(student) == {"Instructors", f"Library {student.pk}"}
    event = AccountEvent.objects.get(user=student)
    assert (event.actor, event.action, event.from_value, event.to_value, event.reason) == (
        admin,
        AccountEvent.Action.ROLE_CHANGED,
        "student",
        "instructor",
        "approved",
    )


def test_admin_role_implies_staff_and_demotion_removes_it(admin, student):
    services.user_change_role(user=student, role=Role.ADMIN, changed_by=admin)
    student.refresh_from_db()
    assert student.is_staff and student.is_superuser
    assert group_names(student) == {"Admins"}

    services.user_change_role(user=student, role=Role.STUDENT, changed_by=admin)
    student.refresh_from_db()
    assert not student.is_staff and not student.is_superuser
    assert group_names(student) == {"Students"}


@pytest.mark.parametrize("actor_fixture", ["student", "instructor"])
def test_non_admin_cannot_change_roles(request, actor_fixture, other_student):
    actor = request.getfixturevalue(actor_fixture)

    with pytest.raises(NotAllowed):
        services.user_change_role(user=other_student, role=Role.ADMIN, changed_by=actor)

    other_student.refresh_from_db()
    assert other_student.role == Role.STUDENT
    assert not AccountEvent.objects.exists()


def test_nobody_changes_their_own_role(admin):
    with pytest.raises(NotAllowed):
        services.user_change_role(user=admin, role=Role.STUDENT, changed_by=admin)
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN


def test_unknown_role_is_a_validation_error(admin, student):
    with pytest.raises(ValidationFailed) as excinfo:
        services.user_change_role(user=student, role="wizard", changed_by=admin)
    assert "role" in excinfo.value.details


def test_unchanged_role_writes_no_audit_entry(admin, student):
    services.user_change_role(user=student, role=Role.STUDENT, changed_by=admin)
    assert not AccountEvent.objects.exists()


def test_deactivation_is_audited_and_reactivation_too(admin, student):
    services.user_set_active(user=student, is_active=False, changed_by=admin, reason="spam")
    services.user_set_active(user=student, is_active=True, changed_by=admin)

    student.refresh_from_db()
    assert student.is_active
    actions = list(AccountEvent.objects.order_by("created_at").values_list("action", flat=True))
    assert actions == [AccountEvent.Action.DEACTIVATED, AccountEvent.Action.ACTIVATED]


def test_student_cannot_deactivate_anyone(student, other_student):
    with pytest.raises(NotAllowed):
        services.user_set_active(user=other_student, is_active=False, changed_by=student)
    other_student.refresh_from_db()
    assert other_student.is_active


def test_deactivation_deletes_the_users_sessions(client, admin, student, other_student):
    from django.contrib.sessions.models import Session

    for who, browser in ((student, client), (other_student, bystander := type(client)())):
        browser.post(reverse("account_login"), {"login": who.email, "password": PASSWORD})
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()

    services.user_set_active(user=student, is_active=False, changed_by=admin)

    assert not Session.objects.filter(session_key=key).exists()
    assert Session.objects.filter(session_key=bystander.session.session_key).exists()


def test_email_is_unique_regardless_of_case(db):
    from django.db import IntegrityError, transaction

    StudentFactory(email="sam@example.com")
    with pytest.raises(IntegrityError), transaction.atomic():
        StudentFactory.build(email="SAM@example.com").save()


def test_profile_update_refuses_identity_fields(student):
    with pytest.raises(ValidationFailed):
        services.user_update_profile(user=student, role=Role.ADMIN)
