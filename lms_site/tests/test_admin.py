import pytest
from django.contrib import admin as django_admin
from django.contrib.auth.models import Permission
from django.urls import reverse
from unfold.admin import ModelAdmin

from lms_site.models import AccountEvent, InstructorRequest, Role, User
from lms_site.tests.factories import (
    PASSWORD,
    InstructorRequestFactory,
    StudentFactory,
    activate_authenticator_app,
)

from .admin_client import messages_of

pytestmark = pytest.mark.django_db

USERS_URL = reverse("admin:lms_site_user_changelist")


def group_names(user):
    return set(user.groups.values_list("name", flat=True))


def run_action(client, action, users, **data):
    return client.post(USERS_URL, {"action": action, "_selected_action": [user.pk for user in users], **data})


def change_role(client, users, role, reason=""):
    return run_action(client, "change_role", users, role=role, reason=reason, _form_submitted="True")


def test_every_admin_screen_is_unfold_styled():
    plain = [
        model._meta.label
        for model, model_admin in django_admin.site._registry.items()
        if not isinstance(model_admin, ModelAdmin)
    ]

    assert plain == []


def test_user_list_filters_by_role(admin_client, student, instructor):
    response = admin_client.get(USERS_URL, {"role__exact": Role.INSTRUCTOR})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [instructor]


def test_user_list_searches_by_name(admin_client):
    wanted = StudentFactory(last_name="Okonkwo")
    StudentFactory(last_name="Lindqvist")

    response = admin_client.get(USERS_URL, {"q": "okonk"})

    assert list(response.context["cl"].result_list) == [wanted]


def test_change_role_action_first_asks_for_the_new_role(admin_client, student):
    response = run_action(admin_client, "change_role", [student])

    assert response.status_code == 200
    assert response.templates[0].name == "admin/lms_site/user/change_role.html"
    assert student.email in response.text
    student.refresh_from_db()
    assert student.role == Role.STUDENT


def test_change_role_action_changes_the_role_through_the_service(admin_client, admin, student):
    response = change_role(admin_client, [student], Role.ADMIN, reason="runs operations")

    assert response.status_code == 302
    student.refresh_from_db()
    assert (student.role, student.is_staff, group_names(student)) == (Role.ADMIN, True, {"Admins"})
    event = AccountEvent.objects.get(user=student)
    assert (event.actor, event.from_value, event.to_value, event.reason) == (
        admin,
        Role.STUDENT,
        Role.ADMIN,
        "runs operations",
    )
    assert messages_of(response) == [("success", "1 user now has the role Admin.")]


def test_change_role_action_refuses_own_role_and_changes_nobody(admin_client, admin, student):
    response = change_role(admin_client, [admin, student], Role.INSTRUCTOR)

    assert response.status_code == 302
    [(level, text)] = messages_of(response)
    assert level == "error"
    assert "You cannot change your own role." in text
    assert set(User.objects.values_list("role", flat=True)) == {Role.ADMIN, Role.STUDENT}
    assert not AccountEvent.objects.exists()


def test_change_role_action_without_a_role_asks_again(admin_client, student):
    response = change_role(admin_client, [student], "")

    assert response.status_code == 200
    assert response.context["form"].errors["role"]


def test_deactivate_action_asks_first_naming_the_accounts(admin_client, student, instructor):
    response = run_action(admin_client, "deactivate", [student, instructor])

    assert "2 people will lose access." in response.text
    assert student.email in response.text and instructor.email in response.text
    assert User.objects.filter(is_active=True, pk__in=[student.pk, instructor.pk]).count() == 2


def test_staff_who_is_not_an_admin_cannot_deactivate(client, student, instructor):
    User.objects.filter(pk=instructor.pk).update(is_staff=True)
    activate_authenticator_app(instructor)
    instructor.user_permissions.add(*Permission.objects.filter(codename__in=["view_user", "change_user"]))
    client.force_login(instructor)

    run_action(client, "deactivate", [student], _form_submitted="True")

    assert User.objects.get(pk=student.pk).is_active


def test_deactivate_action_deactivates_and_audits(admin_client, admin, student):
    run_action(admin_client, "deactivate", [student], reason="Left the school.", _form_submitted="True")

    student.refresh_from_db()
    assert not student.is_active
    event = AccountEvent.objects.get(user=student)
    assert (event.action, event.actor) == (AccountEvent.Action.DEACTIVATED, admin)


def test_change_role_from_the_user_page_answers_htmx_with_a_redirect(admin_client, admin, student):
    url = reverse("admin:lms_site_user_change_role_detail", args=[student.pk])

    response = admin_client.post(
        url, {"role": Role.INSTRUCTOR, "reason": "approved", "_form_submitted": "True"}
    )

    assert response.headers["HX-Redirect"] == reverse("admin:lms_site_user_change", args=[student.pk])
    student.refresh_from_db()
    assert student.role == Role.INSTRUCTOR
    assert AccountEvent.objects.get(user=student).actor == admin


def test_instructor_is_sent_away_from_the_admin(client, instructor):
    client.force_login(instructor)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_role_cannot_be_changed_on_the_change_form(admin_client, student):
    url = reverse("admin:lms_site_user_change", args=[student.pk])
    form = {"first_name": "Renamed", "last_name": student.last_name, "bio": "", "phone": ""}

    response = admin_client.post(url, {**form, "role": Role.ADMIN, "is_staff": "on", "is_superuser": "on"})

    assert response.status_code == 302
    student.refresh_from_db()
    assert student.first_name == "Renamed"
    assert (student.role, student.is_staff, student.is_superuser) == (Role.STUDENT, False, False)


def test_added_user_is_a_student_in_the_students_group(admin_client):
    response = admin_client.post(
        reverse("admin:lms_site_user_add"),
        {"email": "New.Person@Example.com", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.com")
    assert (user.role, user.is_staff, group_names(user)) == (Role.STUDENT, False, {"Students"})
    assert user.check_password(PASSWORD)


def test_adding_a_known_email_in_other_case_is_refused(admin_client, student):
    response = admin_client.post(
        reverse("admin:lms_site_user_add"),
        {"email": student.email.upper(), "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["email"]
    assert User.objects.count() == 2  # the student and the admin


def test_account_events_cannot_be_added_or_edited(admin_client, admin, student):
    change_role(admin_client, [student], Role.INSTRUCTOR)
    event = AccountEvent.objects.get()

    listing = admin_client.get(reverse("admin:lms_site_accountevent_changelist"), {"q": student.email})
    add = admin_client.get(reverse("admin:lms_site_accountevent_add"))
    edit = admin_client.post(reverse("admin:lms_site_accountevent_change", args=[event.pk]), {"reason": "x"})

    assert list(listing.context["cl"].result_list) == [event]
    assert add.status_code == 403
    assert edit.status_code == 403
    event.refresh_from_db()
    assert event.reason == ""


def test_user_change_form_offers_the_role_dialog_instead_of_a_role_field(admin_client, student):
    response = admin_client.get(reverse("admin:lms_site_user_change", args=[student.pk]))

    assert response.status_code == 200
    assert reverse("admin:lms_site_user_change_role_detail", args=[student.pk]) in response.text
    assert "role" not in response.context["adminform"].form.fields


def test_instructor_request_approved_from_its_page_makes_an_instructor(admin_client, admin):
    instructor_request = InstructorRequestFactory()
    url = reverse("admin:lms_site_instructorrequest_approve", args=[instructor_request.pk])

    response = admin_client.post(url, {"reason": "", "_form_submitted": "True"})

    assert response.headers["HX-Redirect"] == reverse(
        "admin:lms_site_instructorrequest_change", args=[instructor_request.pk]
    )
    instructor_request.refresh_from_db()
    assert (instructor_request.status, instructor_request.reviewer) == (
        InstructorRequest.Status.APPROVED,
        admin,
    )
    assert instructor_request.applicant.role == Role.INSTRUCTOR


def test_instructor_request_rejection_without_reason_asks_again(admin_client):
    instructor_request = InstructorRequestFactory()
    url = reverse("admin:lms_site_instructorrequest_reject", args=[instructor_request.pk])

    response = admin_client.post(url, {"reason": " ", "_form_submitted": "True"})

    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    instructor_request.refresh_from_db()
    assert instructor_request.status == InstructorRequest.Status.PENDING


def test_sidebar_links_people_screens_the_cms_and_the_api_docs(admin_client):
    response = admin_client.get(reverse("admin:index"))

    links = {item["link"] for group in response.context["sidebar_navigation"] for item in group["items"]}
    assert {
        USERS_URL,
        reverse("admin:auth_group_changelist"),
        reverse("admin:account_emailaddress_changelist"),
        reverse("admin:lms_site_accountevent_changelist"),
        reverse("wagtailadmin_home"),
        reverse("api-docs"),
    } <= {str(link) for link in links}
