"""People's names: sign-up asks for one (site and API), others see it or a neutral label, never an email."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from lms_site import services
from lms_site.models import User
from lms_site.tests.test_site_pages import rendered_errors

from . import headless
from .factories import PASSWORD, SIGNUP_NAME, AdminFactory, InstructorRequestFactory
from .privacy import LABEL, assert_no_email_of, nameless

pytestmark = pytest.mark.django_db

SIGNUP = reverse("account_signup")
PROFILE = reverse("lms_site:profile")
ME = reverse("api:me")
NEW_EMAIL = "grace.hopper@example.com"
NO_NAMES = [{}, {"first_name": "", "last_name": "Hopper"}, {"first_name": "   ", "last_name": ""}]
NO_NAME_IDS = ["left-out", "empty", "blank"]


def site_signup(client, name: dict, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(SIGNUP, {**name, "email": NEW_EMAIL, "password1": PASSWORD, "password2": PASSWORD})


@pytest.mark.parametrize("name", NO_NAMES, ids=NO_NAME_IDS)
def test_site_signup_without_a_first_name_is_refused(client, name, django_capture_on_commit_callbacks):
    response = site_signup(client, name, django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert "This field is required." in rendered_errors(response)
    assert not User.objects.filter(email=NEW_EMAIL).exists()


def test_site_signup_stores_the_name(client, django_capture_on_commit_callbacks, mailoutbox):
    response = site_signup(
        client, {"first_name": " Grace ", "last_name": "Hopper"}, django_capture_on_commit_callbacks
    )

    assert response.status_code == 302
    user = User.objects.get(email=NEW_EMAIL)
    assert (user.first_name, user.last_name, user.public_name) == ("Grace", "Hopper", "Grace Hopper")


@pytest.mark.parametrize("name", NO_NAMES, ids=NO_NAME_IDS)
def test_api_signup_without_a_first_name_is_400(name):
    response = headless.signup(APIClient(), email=NEW_EMAIL, name=name)

    assert response.status_code == 400
    assert [error["param"] for error in response.json()["errors"]] == ["first_name"]
    assert not User.objects.filter(email=NEW_EMAIL).exists()


def test_api_signup_stores_the_name():
    response = headless.signup(APIClient(), email=NEW_EMAIL)

    assert response.status_code == 401  # pending email verification
    user = User.objects.get(email=NEW_EMAIL)
    assert (user.first_name, user.last_name) == (SIGNUP_NAME["first_name"], SIGNUP_NAME["last_name"])


def test_api_signup_takes_a_first_name_alone():
    response = headless.signup(APIClient(), email=NEW_EMAIL, name={"first_name": "Sukarno"})

    assert response.status_code == 401
    assert User.objects.get(email=NEW_EMAIL).public_name == "Sukarno"


def test_an_account_without_a_name_is_shown_by_the_neutral_label():
    user = nameless()

    names = (user.public_name, user.get_full_name(), user.get_short_name())

    assert names == (LABEL, LABEL, LABEL)
    assert_no_email_of(user, " ".join(names))


def test_profile_page_cannot_remove_the_first_name(client, student):
    client.force_login(student)

    response = client.post(PROFILE, {"first_name": "", "last_name": "Hopper"})

    assert response.status_code == 200
    assert "This field is required." in rendered_errors(response)
    assert User.objects.get(pk=student.pk).first_name == student.first_name


def test_api_cannot_remove_the_first_name(client_for, student):
    response = client_for(student).patch(ME, {"first_name": " "}, format="json")

    assert response.status_code == 400
    assert list(response.json()["error"]["details"]) == ["first_name"]
    assert User.objects.get(pk=student.pk).first_name == student.first_name


def test_profile_service_stores_names_without_surrounding_spaces(student):
    services.user_update_profile(user=student, first_name="  Ada ", last_name=" Lovelace ")

    student.refresh_from_db()
    assert (student.first_name, student.last_name) == ("Ada", "Lovelace")


def test_applicant_sees_the_reviewer_by_name_never_by_email(client_for):
    reviewer = nameless(AdminFactory)
    request = InstructorRequestFactory(rejected_by=reviewer)

    response = client_for(request.applicant).get(reverse("api:instructor-request-detail", args=[request.pk]))

    assert response.json()["data"]["reviewer"] == {"id": str(reviewer.pk), "name": LABEL}
    assert_no_email_of(reviewer, response.text)
