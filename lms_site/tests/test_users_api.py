import pytest
from django.urls import reverse

from lms_site.models import AccountEvent, Role
from lms_site.tests.factories import InstructorFactory, StudentFactory

pytestmark = pytest.mark.django_db

LIST = reverse("api:user-list")


def detail(user):
    return reverse("api:user-detail", args=[user.pk])


@pytest.mark.parametrize("role_fixture", ["student", "instructor"])
def test_non_admins_cannot_list_users(request, client_for, role_fixture):
    response = client_for(request.getfixturevalue(role_fixture)).get(LIST)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_anonymous_cannot_list_users(api_client):
    assert api_client.get(LIST).status_code == 401


def test_admin_filters_by_role_and_active(client_for, admin):
    StudentFactory.create_batch(2)
    teacher = InstructorFactory()
    StudentFactory(is_active=False)
    client = client_for(admin)

    by_role = client.get(LIST, {"role": "instructor"}).json()["data"]
    inactive = client.get(LIST, {"is_active": "false"}).json()["data"]

    assert [u["email"] for u in by_role["results"]] == [teacher.email]
    assert inactive["count"] == 1


def test_admin_searches_by_email_and_name(client_for, admin):
    StudentFactory(email="zoe@example.com", first_name="Zoe")
    StudentFactory(first_name="Quentin", last_name="Blake")
    client = client_for(admin)

    assert client.get(LIST, {"search": "zoe@"}).json()["data"]["count"] == 1
    assert client.get(LIST, {"search": "blake"}).json()["data"]["count"] == 1


def test_admin_orders_by_date_joined(client_for, admin):
    first, second = StudentFactory(), StudentFactory()
    emails = [
        u["email"]
        for u in client_for(admin).get(LIST, {"ordering": "-date_joined"}).json()["data"]["results"]
    ]
    assert emails.index(second.email) < emails.index(first.email)


def test_admin_changes_role_through_the_service(client_for, admin, student):
    response = client_for(admin).patch(
        detail(student), {"role": "instructor", "reason": "vetted"}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["data"]["role"] == "instructor"
    event = AccountEvent.objects.get(user=student)
    assert (event.actor, event.reason) == (admin, "vetted")
    assert set(student.groups.values_list("name", flat=True)) == {"Instructors", f"Library {student.pk}"}


def test_admin_deactivates_user(client_for, admin, student):
    response = client_for(admin).patch(detail(student), {"is_active": False}, format="json")

    assert response.status_code == 200
    student.refresh_from_db()
    assert not student.is_active


def test_admin_cannot_change_own_role(client_for, admin):
    response = client_for(admin).patch(detail(admin), {"role": "student"}, format="json")

    assert response.status_code == 403
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN


def test_patch_with_other_fields_only_is_400(client_for, admin, student):
    response = client_for(admin).patch(detail(student), {"email": "x@example.com"}, format="json")

    assert response.status_code == 400
    student.refresh_from_db()
    assert student.email != "x@example.com"


def test_patch_with_unknown_role_is_400(client_for, admin, student):
    response = client_for(admin).patch(detail(student), {"role": "overlord"}, format="json")

    assert response.status_code == 400
    assert "role" in response.json()["error"]["details"]


def test_student_cannot_patch_users(client_for, student, other_student):
    response = client_for(student).patch(detail(other_student), {"role": "admin"}, format="json")

    assert response.status_code == 403
    other_student.refresh_from_db()
    assert other_student.role == Role.STUDENT


def test_put_is_not_allowed(client_for, admin, student):
    assert client_for(admin).put(detail(student), {"role": "student"}, format="json").status_code == 405


@pytest.mark.parametrize("rows", [1, 25])
def test_list_query_count_does_not_grow(client_for, admin, django_assert_num_queries, rows):
    StudentFactory.create_batch(rows)
    client = client_for(admin)
    with django_assert_num_queries(5):  # session, user, the admin's authenticator app, count, page
        client.get(LIST, {"page_size": 100})
