import pytest
from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lms_site import validators

from .test_people_pages import png

pytestmark = pytest.mark.django_db

ME = reverse("api:me")
AVATAR = reverse("api:me-avatar")


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


def test_me_names_the_user_and_says_whether_the_email_is_verified(client_for, student):
    data = client_for(student).get(ME).json()["data"]
    assert (data["full_name"], data["email_verified"]) == (student.get_full_name(), True)

    EmailAddress.objects.filter(user=student).update(verified=False)

    assert client_for(student).get(ME).json()["data"]["email_verified"] is False


def test_full_name_and_email_verified_are_read_only(client_for, student):
    changes = {"full_name": "Someone Else", "email_verified": False}
    response = client_for(student).patch(ME, changes, format="json")

    assert response.status_code == 200
    assert response.json()["data"]["email_verified"] is True
    assert response.json()["data"]["full_name"] == student.get_full_name()


# The avatar: the API's one upload, multipart/form-data; everything else is JSON


def test_avatar_upload_is_stored_and_linked_from_site_url(client_for, student, settings):
    settings.SITE_URL = "https://learn.example.com"

    response = client_for(student).put(AVATAR, {"avatar": png()}, format="multipart")

    assert response.status_code == 200, response.json()
    student.refresh_from_db()
    assert student.avatar.name.startswith("avatars/")
    assert response.json()["data"]["avatar"] == f"https://learn.example.com{student.avatar.url}"
    assert client_for(student).get(ME).json()["data"]["avatar"] == response.json()["data"]["avatar"]


def test_avatar_is_removed(client_for, student):
    client = client_for(student)
    client.put(AVATAR, {"avatar": png()}, format="multipart")

    response = client.delete(AVATAR)

    assert response.status_code == 200
    assert response.json()["data"]["avatar"] is None
    student.refresh_from_db()
    assert not student.avatar


def test_avatar_that_is_not_an_image_or_too_large_is_400(client_for, student, monkeypatch):
    client = client_for(student)
    not_an_image = SimpleUploadedFile("avatar.png", b"not a picture", content_type="image/png")
    assert client.put(AVATAR, {"avatar": not_an_image}, format="multipart").status_code == 400

    monkeypatch.setattr(validators, "MAX_AVATAR_BYTES", 10)
    response = client.put(AVATAR, {"avatar": png()}, format="multipart")

    assert response.status_code == 400
    assert "avatar" in response.json()["error"]["details"]
    student.refresh_from_db()
    assert not student.avatar


def assert_format_refused(response):
    """The parsers match the schema: JSON everywhere, multipart only for the avatar."""
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"


def test_profile_changes_in_multipart_are_refused(client_for, student):
    assert_format_refused(client_for(student).patch(ME, {"first_name": "Multi"}, format="multipart"))
    student.refresh_from_db()
    assert student.first_name != "Multi"


def test_an_avatar_in_json_is_refused(client_for, student):
    assert_format_refused(client_for(student).put(AVATAR, {"avatar": "x"}, format="json"))
    student.refresh_from_db()
    assert not student.avatar


def test_avatar_needs_a_signed_in_user(api_client):
    assert api_client.put(AVATAR, {"avatar": png()}, format="multipart").status_code == 401
