"""The site's profile and become-instructor pages, by real requests."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from lms_site.models import InstructorRequest, Role, User
from lms_site.tests.factories import InstructorRequestFactory
from lms_site.tests.test_site_pages import assert_labelled, assert_site_layout, rendered_errors

pytestmark = pytest.mark.django_db

PROFILE = reverse("lms_site:profile")
BECOME_INSTRUCTOR = reverse("lms_site:become_instructor")
LOGIN = reverse("account_login")
PROFILE_FORM = {
    "first_name": "Grace",
    "last_name": "Hopper",
    "phone": "+44 20 7946 0000",
    "bio": "Compilers.",
}
CONFLICT = "You already have a request waiting for review."


@pytest.fixture
def student_client(client, student):
    client.force_login(student)
    return client


def png(name="avatar.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "teal").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def apply(client, motivation="I have taught Python for ten years.", links=""):
    return client.post(BECOME_INSTRUCTOR, {"motivation": motivation, "links": links})


@pytest.mark.parametrize("url", [PROFILE, BECOME_INSTRUCTOR])
def test_anonymous_visitor_is_sent_to_log_in(client, url):
    response = client.get(url)

    assert (response.status_code, response["Location"]) == (302, f"{LOGIN}?next={url}")


def test_profile_page_renders_labelled_fields_in_site_layout(student_client):
    response = student_client.get(PROFILE)

    assert response.status_code == 200
    assert_site_layout(response)
    assert_labelled(response, "id_first_name", "id_last_name", "id_phone", "id_bio", "id_avatar")


def test_profile_edit_saves_and_says_so(student_client, student):
    response = student_client.post(PROFILE, PROFILE_FORM, follow=True)

    assert response.redirect_chain == [(PROFILE, 302)]
    assert "Your profile is saved." in response.text
    student.refresh_from_db()
    assert (student.first_name, student.last_name, student.phone, student.bio) == tuple(PROFILE_FORM.values())


def test_profile_avatar_upload_is_stored(student_client, student):
    response = student_client.post(PROFILE, {**PROFILE_FORM, "avatar": png()})

    assert response.status_code == 302
    student.refresh_from_db()
    assert student.avatar.name.startswith("avatars/")
    assert student.avatar.name.endswith(".png")
    assert student.avatar.url in student_client.get(PROFILE).text


def test_profile_avatar_can_be_removed(student_client, student):
    student_client.post(PROFILE, {**PROFILE_FORM, "avatar": png()})

    student_client.post(PROFILE, {**PROFILE_FORM, "avatar-clear": "on"})

    student.refresh_from_db()
    assert not student.avatar


def test_profile_post_cannot_change_role_or_email(student_client, student):
    email = student.email

    student_client.post(
        PROFILE, {**PROFILE_FORM, "role": Role.ADMIN, "email": "taken@example.com", "is_staff": "on"}
    )

    student.refresh_from_db()
    assert (student.email, student.role, student.is_staff) == (email, Role.STUDENT, False)
    assert student.first_name == "Grace"


def test_header_links_profile_and_teach_for_a_student(student_client):
    html = student_client.get("/").text

    assert f'href="{PROFILE}"' in html
    assert f'href="{BECOME_INSTRUCTOR}"' in html


def test_header_offers_no_teach_link_to_an_instructor(client, instructor):
    client.force_login(instructor)

    html = client.get("/").text

    assert f'href="{PROFILE}"' in html
    assert f'href="{BECOME_INSTRUCTOR}"' not in html


def test_become_instructor_page_renders_labelled_fields_in_site_layout(student_client):
    response = student_client.get(BECOME_INSTRUCTOR)

    assert response.status_code == 200
    assert_site_layout(response)
    assert_labelled(response, "id_motivation", "id_links")


def test_applying_creates_a_pending_request_and_emails_the_admins(
    student_client, student, admin, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = apply(student_client, links="https://example.com/me\n\n  example.org/talks  ")

    assert (response.status_code, response["Location"]) == (302, BECOME_INSTRUCTOR)
    instructor_request = InstructorRequest.objects.get(applicant=student)
    assert instructor_request.status == InstructorRequest.Status.PENDING
    assert instructor_request.links == ["https://example.com/me", "https://example.org/talks"]
    [email] = mailoutbox
    assert email.to == [admin.email]
    page = student_client.get(BECOME_INSTRUCTOR).text
    assert "Your request is waiting for review." in page
    assert 'id="id_motivation"' not in page


def test_a_link_that_is_not_a_web_address_is_refused(student_client, student):
    response = apply(student_client, links="https://example.com\nnot a link")

    assert response.status_code == 200
    assert "“not a link” is not a web address." in rendered_errors(response)
    assert not InstructorRequest.objects.exists()


def test_second_application_shows_the_conflict_and_writes_nothing(student_client, student, mailoutbox):
    InstructorRequestFactory(applicant=student)

    response = apply(student_client)

    assert response.status_code == 200
    assert CONFLICT in rendered_errors(response)
    assert InstructorRequest.objects.filter(applicant=student).count() == 1
    assert mailoutbox == []


def test_rejection_reason_is_shown_and_the_student_may_apply_again(student_client, student, admin):
    InstructorRequestFactory(applicant=student, rejected_by=admin)

    html = student_client.get(BECOME_INSTRUCTOR).text

    assert "Rejected" in html
    assert "Not yet." in html
    assert 'id="id_motivation"' in html


@pytest.mark.parametrize("role", [Role.INSTRUCTOR, Role.ADMIN])
def test_instructors_and_admins_are_told_they_already_have_the_role(client, role, instructor, admin):
    user = {Role.INSTRUCTOR: instructor, Role.ADMIN: admin}[role]
    client.force_login(user)

    html = client.get(BECOME_INSTRUCTOR).text

    assert f"You already have the {user.get_role_display()} role" in html
    assert 'id="id_motivation"' not in html


def test_instructor_posting_the_form_anyway_writes_nothing(client, instructor):
    client.force_login(instructor)

    response = apply(client)

    assert response.status_code == 200
    assert not InstructorRequest.objects.exists()
    assert User.objects.get(pk=instructor.pk).role == Role.INSTRUCTOR
