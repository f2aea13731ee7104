"""One avatar rule wherever a picture comes in: the profile page, `PUT /api/v1/me/avatar/`, the admin panel.

The rule (lms_site.validators): at most MAX_AVATAR_BYTES, and an image browsers show.
"""

import io

import pytest
from django.contrib.admin import site as admin_site
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from lms_site.models import User
from lms_site.validators import MAX_AVATAR_BYTES

from .test_site_pages import rendered_errors

pytestmark = pytest.mark.django_db

PROFILE = reverse("lms_site:profile")
ME = reverse("api:me")
AVATAR = reverse("api:me-avatar")
SURFACES = ["site", "api", "admin"]
TOO_LARGE = "Choose an image of at most 2.0\xa0MB."
NOT_AN_IMAGE = "Upload a JPEG, PNG, GIF or WebP image."


def image(*, image_format="PNG", size=None) -> SimpleUploadedFile:
    """A small picture; with `size`, padded to that many bytes (readers ignore what follows its end)."""
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "teal").save(buffer, format=image_format)
    content = buffer.getvalue()
    if size is not None:
        content += b"\0" * (size - len(content))
    extension = image_format.lower()
    return SimpleUploadedFile(f"avatar.{extension}", content, content_type=f"image/{extension}")


def upload(surface, client, user, admin, file) -> list[str]:
    """Send `file` as `user`'s avatar through `surface`; the error messages about it (none if accepted)."""
    if surface == "site":
        client.force_login(user)
        response = client.post(PROFILE, {"first_name": "Grace", "avatar": file}, format="multipart")
        return [] if response.status_code == 302 else [rendered_errors(response)]
    if surface == "api":
        client.force_login(user)
        response = client.put(AVATAR, {"avatar": file}, format="multipart")
        if response.status_code == 200:
            return []
        assert response.status_code == 400
        error = response.json()["error"]
        assert (error["code"], list(error["details"])) == ("validation_error", ["avatar"])
        return error["details"]["avatar"]
    request = client.get("/").wsgi_request
    request.user = admin
    form_class = admin_site._registry[User].get_form(request, obj=user, change=True)
    form = form_class({"email": user.email}, {"avatar": file}, instance=User.objects.get(pk=user.pk))
    form.is_valid()  # other fields of the admin's form are left out; only the avatar's errors count
    return form.errors.get("avatar", [])


@pytest.fixture
def send(api_client, student, admin):
    return lambda surface, file: upload(surface, api_client, student, admin, file)


@pytest.mark.parametrize("surface", SURFACES)
def test_avatar_over_the_limit_is_refused_everywhere(send, student, surface):
    messages = send(surface, image(size=MAX_AVATAR_BYTES + 1))

    assert TOO_LARGE in " ".join(messages)
    student.refresh_from_db()
    assert not student.avatar


def test_the_api_refuses_the_picture_the_profile_page_refuses(send, student):
    """The reported case: 3.2 MB, which the profile page refused and the API stored."""
    for surface in ("site", "api"):
        assert send(surface, image(size=3_200_000))
    student.refresh_from_db()
    assert not student.avatar


@pytest.mark.parametrize("surface", SURFACES)
def test_avatar_at_the_limit_is_accepted_everywhere(send, surface):
    assert send(surface, image(size=MAX_AVATAR_BYTES)) == []


@pytest.mark.parametrize("surface", SURFACES)
def test_file_that_is_not_an_image_is_refused_everywhere(send, student, surface):
    fake = SimpleUploadedFile("avatar.png", b"not an image", content_type="image/png")

    assert send(surface, fake)
    student.refresh_from_db()
    assert not student.avatar


@pytest.mark.parametrize("surface", SURFACES)
def test_image_browsers_do_not_show_is_refused_everywhere(send, student, surface):
    messages = send(surface, image(image_format="PPM"))

    assert NOT_AN_IMAGE in " ".join(messages)
    student.refresh_from_db()
    assert not student.avatar


def test_stored_avatar_is_not_read_again_when_the_profile_changes(send, student, api_client):
    """Saving other fields validates the model, but the stored picture passed its check already."""
    assert send("api", image()) == []
    student.refresh_from_db()
    student.avatar.storage.delete(student.avatar.name)  # gone from storage: reading it would fail

    response = api_client.patch(ME, {"first_name": "Ada"}, format="json")

    assert response.status_code == 200
