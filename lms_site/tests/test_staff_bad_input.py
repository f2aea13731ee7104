"""Bad input on the staff surfaces (/cms/ and /admin/) is a 4xx or a form error, never a 500."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from wagtail.images import get_image_model

from lms_site.models import User

pytestmark = pytest.mark.django_db

# A PNG signature with nothing a decoder can read behind it.
FAKE_PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def signed_in(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def fake_png() -> SimpleUploadedFile:
    return SimpleUploadedFile("photo.png", FAKE_PNG, content_type="image/png")


def test_cms_image_upload_of_a_file_that_only_looks_like_an_image_is_refused(instructor):
    response = signed_in(instructor).post(
        reverse("wagtailimages:add"), {"title": "Photo", "file": fake_png()}
    )

    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert not get_image_model().objects.exists()


def test_cms_multiple_image_upload_of_a_file_that_only_looks_like_an_image_is_refused(instructor):
    response = signed_in(instructor).post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": fake_png()},
        headers={"x-requested-with": "XMLHttpRequest"},
    )

    assert response.status_code == 200
    assert response.json()["success"] is False
    assert not get_image_model().objects.exists()


@pytest.mark.parametrize("page_id", ["abc", "1.5", "99999999999999999999"])
def test_cms_bulk_action_with_a_malformed_id_is_not_a_server_error(admin, page_id):
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])

    response = signed_in(admin).get(url, {"id": page_id, "next": "/cms/"})

    assert response.status_code < 500


def test_admin_action_on_ids_that_are_not_users_ids_is_not_a_server_error(admin):
    users = User.objects.count()

    response = signed_in(admin).post(
        reverse("admin:lms_site_user_changelist"),
        {"action": "delete_selected", "_selected_action": ["not-a-uuid"]},
    )

    assert response.status_code < 500
    assert User.objects.count() == users


def test_admin_export_with_an_unknown_format_is_not_a_server_error(admin):
    response = signed_in(admin).get(reverse("admin:lms_site_user_export"), {"format": "abc"})

    assert response.status_code < 500
