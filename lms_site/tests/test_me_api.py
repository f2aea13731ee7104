import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

ME = reverse("api:me")


def test_me_returns_own_profile_in_envelope(client_for, student):
    response = client_for(student).get(ME)

    assert response.status_code == 200
    body = response.json()
    assert body["success"] is True
    assert body["error"] is None
    assert body["data"]["email"] == student.email
    assert body["data"]["role"] == "student"


def test_me_requires_authentication(api_client):
    response = api_client.get(ME)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_patch_me_cannot_change_role_email_or_staff(client_for, student):
    response = client_for(student).patch(
        ME,
        {"role": "admin", "is_staff": True, "email": "boss@example.com", "first_name": "New"},
        format="json",
    )

    assert response.status_code == 200
    student.refresh_from_db()
    assert (student.role, student.is_staff, student.email) == ("student", False, student.email)
    assert student.email != "boss@example.com"
    assert student.first_name == "New"


def test_me_query_count_is_fixed(client_for, student, django_assert_num_queries):
    client = client_for(student)
    with django_assert_num_queries(3):  # session, user, whether the email is verified
        client.get(ME)
