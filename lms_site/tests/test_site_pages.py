"""The site's own pages and allauth's account pages, rendered in the site layout, by real requests."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.template.loader import get_template
from django.test import Client
from django.urls import reverse

from lms_site import services, views
from lms_site.models import User
from lms_site.tests.factories import PASSWORD, SIGNUP_NAME, InstructorRequestFactory

pytestmark = pytest.mark.django_db

SIGNUP = reverse("account_signup")
LOGIN = reverse("account_login")
VERIFY_EMAIL = reverse("account_email_verification_sent")
RESET = reverse("account_reset_password")
RESET_CODE = reverse("account_confirm_password_reset_code")
CHANGE_PASSWORD = reverse("account_change_password")
NEW_EMAIL = "newcomer@example.com"
EMAILED_CODE = re.compile(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b")
# Only base.html renders these two.
SKIP_LINK = '<a class="skip-link" href="#main">'
MAIN_LANDMARK = '<main id="main"'


def assert_site_layout(response):
    html = response.content.decode()
    assert SKIP_LINK in html
    assert MAIN_LANDMARK in html


def rendered_errors(response):
    """Text of the error lists on the page: help texts name the same rules, so look only here."""
    html = response.content.decode()
    return " ".join(re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S))


def assert_labelled(response, *field_ids):
    html = response.content.decode()
    for field_id in field_ids:
        assert f'<label for="{field_id}">' in html
        assert f'id="{field_id}"' in html


@pytest.fixture
def signed_up(client, django_capture_on_commit_callbacks, mailoutbox):
    """A visitor who just submitted the sign-up form; mail is sent once the transaction commits."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            SIGNUP, {**SIGNUP_NAME, "email": NEW_EMAIL, "password1": PASSWORD, "password2": PASSWORD}
        )
    assert response.status_code == 302
    return response


def test_home_page_renders_in_site_layout(client):
    response = client.get("/")

    assert response.status_code == 200
    assert "home/home_page.html" in [t.name for t in response.templates]
    assert_site_layout(response)
    assert "Learn something new" in response.content.decode()


def test_site_layout_loads_nothing_from_other_sites(client):
    html = client.get("/").content.decode()

    assert re.findall(r'<(?:link|script|img)\b[^>]*\b(?:href|src)="(?:https?:)?//', html) == []


def test_signed_out_header_offers_log_in_and_sign_up(client):
    html = client.get("/").content.decode()

    assert f'href="{LOGIN}"' in html
    assert f'href="{SIGNUP}"' in html
    assert reverse("account_logout") not in html


def test_signed_in_header_shows_name_password_link_and_logout_form(client, student):
    client.force_login(student)

    html = client.get("/").content.decode()

    assert f"Signed in as <strong>{student.first_name}</strong>" in html
    assert f'href="{CHANGE_PASSWORD}"' in html
    assert f'<form class="nav__form" method="post" action="{reverse("account_logout")}">' in html
    assert f'href="{SIGNUP}"' not in html


def test_header_links_an_instructor_to_their_studio_as_soon_as_their_request_is_approved(
    client, student, admin
):
    studio_link = f'<a href="{reverse("wagtailadmin_home")}">Studio</a>'
    request = InstructorRequestFactory(applicant=student)
    client.force_login(student)
    assert studio_link not in client.get("/").content.decode()

    services.instructor_request_approve(instructor_request=request, reviewer=admin)

    assert studio_link in client.get("/").content.decode()
    assert client.get(reverse("wagtailadmin_home")).status_code == 200


def test_signup_page_renders_labelled_fields_in_site_layout(client):
    response = client.get(SIGNUP)

    assert response.status_code == 200
    assert_site_layout(response)
    assert_labelled(response, "id_first_name", "id_last_name", "id_email", "id_password1", "id_password2")


def test_login_page_renders_labelled_fields_in_site_layout(client):
    response = client.get(LOGIN)

    assert response.status_code == 200
    assert_site_layout(response)
    assert_labelled(response, "id_login", "id_password")
    assert f'href="{RESET}"' in response.content.decode()


def test_password_reset_page_renders_labelled_field_in_site_layout(client):
    response = client.get(RESET)

    assert response.status_code == 200
    assert_site_layout(response)
    assert_labelled(response, "id_email")


def test_signup_creates_user_and_leads_to_code_entry(signed_up):
    assert signed_up["Location"] == VERIFY_EMAIL
    assert User.objects.filter(email=NEW_EMAIL).exists()


def test_code_entry_page_renders_labelled_field_in_site_layout(client, signed_up):
    response = client.get(VERIFY_EMAIL)

    assert response.status_code == 200
    assert_site_layout(response)
    assert_labelled(response, "id_code")
    assert NEW_EMAIL in response.content.decode()


def test_user_cannot_log_in_before_verifying_email(signed_up):
    cache.clear()  # as after the code-resend cooldown; within it the form refuses with "too many attempts"
    other_browser = Client()

    response = other_browser.post(LOGIN, {"login": NEW_EMAIL, "password": PASSWORD})

    assert "_auth_user_id" not in other_browser.session
    assert response.status_code == 302
    assert response["Location"] == VERIFY_EMAIL


def test_entering_emailed_code_verifies_email_and_logs_in(client, signed_up, mailoutbox):
    code = EMAILED_CODE.search(mailoutbox[0].body).group()

    response = client.post(VERIFY_EMAIL, {"code": code})

    user = User.objects.get(email=NEW_EMAIL)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert EmailAddress.objects.get(user=user, email=NEW_EMAIL).verified


def test_wrong_code_is_refused_with_a_message(client, signed_up):
    response = client.post(VERIFY_EMAIL, {"code": "AAAA-AAAA"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert rendered_errors(response)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Gardenparty", "a digit"),
        ("gardenparty7", "an upper-case letter"),
        ("Gard3n", "too short"),
        ("Password1", "too common"),
    ],
    ids=["no-digit", "no-upper-case", "too-short", "common"],
)
def test_weak_password_is_refused_on_signup_with_a_message(client, password, message):
    response = client.post(
        SIGNUP, {**SIGNUP_NAME, "email": NEW_EMAIL, "password1": password, "password2": password}
    )

    assert response.status_code == 200
    assert message in rendered_errors(response)
    assert not User.objects.filter(email=NEW_EMAIL).exists()


def test_password_reset_answers_alike_for_known_and_unknown_email(student):
    known, unknown = Client(), Client()

    known_response = known.post(RESET, {"email": student.email})
    unknown_response = unknown.post(RESET, {"email": "nobody@example.com"})

    assert (known_response.status_code, known_response["Location"]) == (302, RESET_CODE)
    assert (unknown_response.status_code, unknown_response["Location"]) == (302, RESET_CODE)
    known_page, unknown_page = known.get(RESET_CODE), unknown.get(RESET_CODE)
    assert known_page.status_code == unknown_page.status_code == 200
    assert [t.name for t in known_page.templates] == [t.name for t in unknown_page.templates]


def test_change_password_page_requires_login(client):
    response = client.get(CHANGE_PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={CHANGE_PASSWORD}"


def test_change_password_page_renders_labelled_fields_for_signed_in_user(client, student):
    client.force_login(student)

    response = client.get(CHANGE_PASSWORD)

    assert response.status_code == 200
    assert_site_layout(response)
    assert_labelled(response, "id_oldpassword", "id_password1", "id_password2")


def test_unknown_url_renders_site_404_page(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
    assert_site_layout(response)


def test_permission_denied_page_renders_in_site_layout_with_login_link(rf):
    request = rf.get("/private/")
    request.user = AnonymousUser()

    response = views.permission_denied(request, PermissionDenied())

    assert response.status_code == 403
    assert_site_layout(response)
    assert f'href="{LOGIN}?next=/private/"' in response.content.decode()


def test_server_error_page_renders_without_any_context():
    html = get_template("500.html").render()

    assert "Something went wrong" in html
    assert "<link" not in html


@pytest.mark.urls("lms_site.tests.urls_errors")
def test_unreachable_dependency_answers_the_unavailable_page_not_a_server_error():
    response = Client(raise_request_exception=False).get("/_test/database-down/")

    assert response.status_code == 503
    assert "Temporarily unavailable" in response.content.decode()


def test_unavailable_page_renders_without_any_context():
    html = get_template("503.html").render()

    assert "Temporarily unavailable" in html
    assert "<link" not in html
