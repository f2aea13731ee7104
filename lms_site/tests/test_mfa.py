"""Two-factor authentication: set-up, sign-in with an app's code or a recovery code, on the site and
through the headless API, allauth's rate limit on codes, and the admins' duty to have an app."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse
from rest_framework.test import APIClient

from lms_site.mfa import API_REFUSAL, SET_UP_MESSAGE

from . import headless
from .admin_client import messages_of
from .factories import (
    PASSWORD,
    AdminFactory,
    activate_authenticator_app,
    recovery_codes,
    totp_code,
    totp_code_of,
)

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")
SECOND_FACTOR = reverse("mfa_authenticate")
ACTIVATE = reverse("mfa_activate_totp")
RECOVERY_CODES = reverse("mfa_view_recovery_codes")
WRONG_CODE = "000000"
CODE_ATTEMPTS = 5  # allauth's failed-login limit per account, which counts wrong codes too


@pytest.fixture
def protected(student):
    """A student who chose to protect their account with an app (and got recovery codes with it)."""
    activate_authenticator_app(student)
    return student


def log_in(client, user, *, then="/"):
    return client.post(LOGIN, {"login": user.email, "password": PASSWORD, "next": then})


def enter_code(client, code):
    return client.post(SECOND_FACTOR, {"code": code})


def confirm_access(client):
    """allauth asks for the password again before a second factor is added."""
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})


def is_signed_in(client, user) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)


# Set-up on the site


def test_account_pages_link_two_factor_authentication(client, student):
    client.force_login(student)

    assert f'href="{reverse("mfa_index")}"' in client.get(reverse("account_change_password")).content.decode()


def test_adding_an_app_asks_for_the_password_again(client, student):
    log_in(client, student)

    response = client.get(ACTIVATE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_student_activates_an_app_with_a_code_from_its_secret_and_gets_recovery_codes(client, student):
    log_in(client, student)
    confirm_access(client)
    page = client.get(ACTIVATE)
    secret = page.context["form"].secret
    assert secret in page.content.decode()
    assert "<svg" in page.content.decode()  # the QR code, drawn in the page

    response = client.post(ACTIVATE, {"code": totp_code_of(secret)})

    assert (response.status_code, response["Location"]) == (302, RECOVERY_CODES)
    assert Authenticator.objects.filter(user=student, type=Authenticator.Type.TOTP).exists()
    codes = recovery_codes(student)
    assert len(codes) == 10
    assert all(code in client.get(RECOVERY_CODES).content.decode() for code in codes)


def test_activation_refuses_a_wrong_code(client, student):
    log_in(client, student)
    confirm_access(client)
    client.get(ACTIVATE)

    response = client.post(ACTIVATE, {"code": WRONG_CODE})

    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert not Authenticator.objects.filter(user=student).exists()


# Signing in on the site


def test_login_asks_for_the_apps_code_before_signing_in(client, protected):
    response = log_in(client, protected, then="/courses/")

    assert (response.status_code, response["Location"]) == (302, SECOND_FACTOR)
    assert not is_signed_in(client, protected)
    response = enter_code(client, totp_code(protected))
    assert (response.status_code, response["Location"]) == (302, "/courses/")
    assert is_signed_in(client, protected)


def test_login_refuses_a_wrong_code(client, protected):
    log_in(client, protected)

    response = enter_code(client, WRONG_CODE)

    assert "Incorrect code." in response.content.decode()
    assert not is_signed_in(client, protected)


def test_recovery_code_signs_in_once(client, protected):
    code = recovery_codes(protected)[0]
    log_in(client, protected)
    enter_code(client, code)
    assert is_signed_in(client, protected)
    client.logout()

    log_in(client, protected)
    response = enter_code(client, code)

    assert "Incorrect code." in response.content.decode()
    assert not is_signed_in(client, protected)
    assert code not in recovery_codes(protected)


def test_codes_are_rate_limited_even_the_right_one(client, protected):
    log_in(client, protected)
    for _ in range(CODE_ATTEMPTS):
        enter_code(client, WRONG_CODE)

    response = enter_code(client, totp_code(protected))

    assert "Too many failed login attempts" in response.content.decode()
    assert not is_signed_in(client, protected)


# Through the headless API


def test_headless_activation_with_a_code_from_the_secret_and_recovery_codes(api_client, student):
    auth = headless.bearer(headless.login_tokens(api_client, student)["access"])
    headless.post(api_client, headless.REAUTHENTICATE, {"password": PASSWORD}, **auth)
    offered = api_client.get(headless.TOTP, headers=auth)
    assert offered.status_code == 404  # no app yet: the answer offers a secret to set one up
    secret = offered.json()["meta"]["secret"]

    response = api_client.post(headless.TOTP, {"code": totp_code_of(secret)}, format="json", headers=auth)

    assert response.status_code == 200, response.content
    codes = api_client.get(headless.RECOVERY_CODES, headers=auth).json()["data"]["unused_codes"]
    assert codes == recovery_codes(student)
    assert len(codes) == 10


def test_headless_login_waits_for_the_apps_code(protected):
    client = APIClient()
    response = headless.login(client, email=protected.email)
    assert (response.status_code, headless.pending_flow(response)) == (401, "mfa_authenticate")
    assert "access_token" not in response.json()["meta"]

    response = headless.authenticate_second_factor(
        client, session_token=response.json()["meta"]["session_token"], code=totp_code(protected)
    )

    assert response.status_code == 200
    me = APIClient().get("/api/v1/me/", headers=headless.bearer(headless.tokens(response)["access"]))
    assert me.json()["data"]["email"] == protected.email


def headless_second_factor(user, code):
    client = APIClient()
    session_token = headless.login(client, email=user.email).json()["meta"]["session_token"]
    return headless.authenticate_second_factor(client, session_token=session_token, code=code)


def test_headless_recovery_code_signs_in_once(protected):
    code = recovery_codes(protected)[0]

    assert headless_second_factor(protected, code).status_code == 200
    assert headless_second_factor(protected, code).status_code == 400


def test_headless_codes_are_rate_limited(protected):
    client = APIClient()
    session_token = headless.login(client, email=protected.email).json()["meta"]["session_token"]
    for _ in range(CODE_ATTEMPTS):
        headless.authenticate_second_factor(client, session_token=session_token, code=WRONG_CODE)

    right_code = totp_code(protected)
    response = headless.authenticate_second_factor(client, session_token=session_token, code=right_code)

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "too_many_login_attempts"


# Admins must have an app; nobody else must


@pytest.fixture
def unprotected_admin(db):
    return AdminFactory(authenticator_app=False)


@pytest.mark.parametrize("path", ["/admin/", "/cms/", "/admin/lms_site/user/"])
def test_admin_without_an_app_is_sent_to_set_one_up(client, unprotected_admin, path):
    client.force_login(unprotected_admin)

    response = client.get(path)

    assert (response.status_code, response["Location"]) == (302, ACTIVATE)
    assert messages_of(response) == [("warning", str(SET_UP_MESSAGE))]


def test_admin_without_an_app_cannot_post_to_the_admin_panel(client, unprotected_admin, student):
    client.force_login(unprotected_admin)

    response = client.post(
        reverse("admin:lms_site_user_changelist"),
        {"action": "change_role", "_selected_action": [student.pk], "role": "admin", "reason": "why not"},
    )

    assert (response.status_code, response["Location"]) == (302, ACTIVATE)
    student.refresh_from_db()
    assert student.role == "student"


def test_admin_sets_up_an_app_and_then_reaches_the_admin_areas(client, unprotected_admin):
    log_in(client, unprotected_admin)
    confirm_access(client)
    secret = client.get(ACTIVATE).context["form"].secret
    client.post(ACTIVATE, {"code": totp_code_of(secret)})

    assert client.get("/admin/").status_code == 200
    assert client.get("/cms/").status_code == 200


@pytest.mark.parametrize("path", ["/admin/", "/cms/"])
def test_admin_with_an_app_reaches_the_admin_areas(admin_client, path):
    assert admin_client.get(path).status_code == 200


def test_admin_logs_in_with_the_apps_code_and_reaches_the_admin_panel(client, admin):
    log_in(client, admin, then="/admin/")

    response = enter_code(client, totp_code(admin))

    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert client.get("/admin/").status_code == 200


def test_instructor_without_an_app_reaches_the_cms(client, instructor):
    client.force_login(instructor)

    assert client.get("/cms/").status_code == 200


def test_student_without_an_app_is_not_asked_to_set_one_up(client, student):
    client.force_login(student)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_api_refuses_an_admin_without_an_app(unprotected_admin):
    access = headless.login_tokens(APIClient(), unprotected_admin)["access"]

    response = APIClient().get("/api/v1/users/", headers=headless.bearer(access))

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert response.json()["message"] == str(API_REFUSAL)


def test_api_refuses_an_admin_without_an_app_signed_in_by_the_session(client_for, unprotected_admin):
    response = client_for(unprotected_admin).get("/api/v1/users/")

    assert (response.status_code, response.json()["message"]) == (403, str(API_REFUSAL))


def test_api_serves_an_admin_with_an_app(client_for, admin):
    assert client_for(admin).get("/api/v1/users/").status_code == 200


def test_api_serves_a_student_without_an_app(client_for, student):
    assert client_for(student).get("/api/v1/me/").status_code == 200
