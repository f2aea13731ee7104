"""The app client's journey over HTTP (sign up, verify, log in, use, refresh, log out) and its schema."""

import time
from unittest.mock import ANY

import jwt
import pytest
from allauth.account import app_settings as account_settings
from allauth.core.internal import ratelimit
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from lms_site import services
from lms_site.models import User

from . import headless
from .factories import InstructorFactory

pytestmark = pytest.mark.django_db

EMAIL = "new.learner@example.com"


@pytest.fixture
def me():
    return reverse("api:me")


@pytest.fixture
def rate_limit_clock(monkeypatch):
    """allauth's rate-limit clock, movable forward so cooldowns pass without sleeping."""

    class Clock:
        offset = 0.0

        def time(self):
            return time.time() + self.offset

        def __getattr__(self, name):
            return getattr(time, name)

    clock = Clock()
    monkeypatch.setattr(ratelimit, "time", clock)
    return clock


@pytest.fixture
def signed_up(api_client):
    """A fresh sign-up: the response of `auth/signup` for EMAIL."""
    return headless.signup(api_client, email=EMAIL)


@pytest.fixture
def verified(api_client):
    """The tokens handed out by verifying the emailed code of a fresh sign-up."""
    return headless.signup_and_verify(api_client, email=EMAIL)


def pending_flows(response) -> set:
    return {flow["id"] for flow in response.json()["data"]["flows"] if flow.get("is_pending")}


def claims(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def resign(token: str, key: str, **changes) -> str:
    return jwt.encode({**claims(token), **changes}, key, algorithm="HS256")


def test_signup_answers_pending_email_verification_with_session_token(signed_up):
    assert signed_up.status_code == 401
    assert pending_flows(signed_up) == {"verify_email"}
    body = signed_up.json()
    assert body["meta"]["is_authenticated"] is False
    assert body["meta"]["session_token"]
    assert "access_token" not in body["meta"]


def test_signup_emails_a_verification_code(signed_up):
    assert [message.to for message in mail.outbox] == [[EMAIL]]
    assert headless.sent_code(EMAIL)


def test_signup_creates_a_student_in_the_students_group(signed_up):
    user = User.objects.get(email=EMAIL)

    assert user.role == "student"
    assert list(user.groups.values_list("name", flat=True)) == ["Students"]


def test_login_right_after_signup_answers_the_code_cooldown_without_tokens(signed_up):
    response = headless.login(APIClient(), email=EMAIL)

    assert response.status_code == 400
    assert [error["code"] for error in response.json()["errors"]] == ["too_many_login_attempts"]
    assert "meta" not in response.json()


def test_login_before_verification_answers_pending_verification_without_tokens(signed_up, rate_limit_clock):
    cooldown = ratelimit.parse_rates(account_settings.RATE_LIMITS["confirm_email"])[0].duration
    rate_limit_clock.offset = cooldown + 1

    response = headless.login(APIClient(), email=EMAIL)

    assert response.status_code == 401
    assert pending_flows(response) == {"verify_email"}
    assert response.json()["meta"]["is_authenticated"] is False
    assert "access_token" not in response.json()["meta"]
    assert len(mail.outbox) == 2  # a fresh code for the new attempt


def test_wrong_verification_code_is_refused_without_tokens(signed_up, api_client):
    session_token = signed_up.json()["meta"]["session_token"]

    response = headless.verify_email(api_client, session_token=session_token, code="AAAA-AAAA")

    assert response.status_code == 400
    assert "meta" not in response.json()
    assert User.objects.get(email=EMAIL).emailaddress_set.get().verified is False


def test_verifying_the_emailed_code_returns_tokens(signed_up, api_client):
    session_token = signed_up.json()["meta"]["session_token"]

    response = headless.verify_email(
        api_client, session_token=session_token, code=headless.sent_code(EMAIL).lower()
    )

    assert response.status_code == 200
    assert response.json()["meta"]["is_authenticated"] is True
    assert headless.tokens(response)["access"]
    assert User.objects.get(email=EMAIL).emailaddress_set.get().verified is True


def test_verified_user_logs_in_with_email_and_password(verified):
    response = headless.login(APIClient(), email=EMAIL)

    assert response.status_code == 200
    assert response.json()["data"]["user"]["email"] == EMAIL
    assert set(headless.tokens(response)) == {"access", "refresh"}


def test_login_with_wrong_password_is_refused(verified):
    response = headless.login(APIClient(), email=EMAIL, password="Wr0ngPassword")

    assert response.status_code == 400
    assert "meta" not in response.json()


def test_bearer_access_token_reads_own_profile(verified, me):
    response = APIClient().get(me, headers=headless.bearer(verified["access"]))

    assert response.status_code == 200
    body = response.json()
    assert (body["success"], body["error"]) == (True, None)
    assert (body["data"]["email"], body["data"]["role"]) == (EMAIL, "student")


def test_access_token_lives_fifteen_minutes(verified):
    token = claims(verified["access"])

    assert token["exp"] - token["iat"] == 15 * 60
    assert settings.HEADLESS_JWT_ACCESS_TOKEN_EXPIRES_IN == 15 * 60


def test_access_token_carries_the_role_claim(api_client):
    access = headless.login_tokens(api_client, InstructorFactory())["access"]

    assert claims(access)["role"] == "instructor"


def test_expired_access_token_is_refused(verified, me):
    expired = resign(verified["access"], settings.SECRET_KEY, exp=int(time.time()) - 1)

    response = APIClient().get(me, headers=headless.bearer(expired))

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_access_token_with_forged_signature_is_refused(verified, me):
    forged = resign(verified["access"], "another-key-of-at-least-thirty-two-bytes", role="admin")

    response = APIClient().get(me, headers=headless.bearer(forged))

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_refresh_token_is_not_an_access_token(verified, me):
    response = APIClient().get(me, headers=headless.bearer(verified["refresh"]))

    assert response.status_code == 401


def test_refresh_returns_a_new_pair(verified, me):
    response = headless.refresh(APIClient(), refresh_token=verified["refresh"])

    assert response.status_code == 200
    fresh = headless.refreshed_tokens(response)
    assert fresh["refresh"] != verified["refresh"]
    assert APIClient().get(me, headers=headless.bearer(fresh["access"])).status_code == 200


def test_refresh_token_is_refused_once_used(verified):
    headless.refresh(APIClient(), refresh_token=verified["refresh"])

    response = headless.refresh(APIClient(), refresh_token=verified["refresh"])

    assert response.status_code == 400
    assert "data" not in response.json()


def test_logout_revokes_the_access_token(verified, me):
    headless.logout(APIClient(), access_token=verified["access"])

    response = APIClient().get(me, headers=headless.bearer(verified["access"]))

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_logout_revokes_the_refresh_token(verified):
    headless.logout(APIClient(), access_token=verified["access"])

    response = headless.refresh(APIClient(), refresh_token=verified["refresh"])

    assert response.status_code == 400


def test_logout_answers_the_logged_out_session(verified):
    response = headless.logout(APIClient(), access_token=verified["access"])

    assert response.status_code == 401
    assert response.json()["meta"]["is_authenticated"] is False


def test_refreshed_access_token_carries_a_changed_role(verified, admin):
    services.user_change_role(user=User.objects.get(email=EMAIL), role="instructor", changed_by=admin)

    fresh = headless.refreshed_tokens(headless.refresh(APIClient(), refresh_token=verified["refresh"]))

    assert claims(fresh["access"])["role"] == "instructor"


def test_deactivating_a_user_revokes_their_tokens(verified, admin, me):
    services.user_set_active(user=User.objects.get(email=EMAIL), is_active=False, changed_by=admin)

    assert APIClient().get(me, headers=headless.bearer(verified["access"])).status_code == 401
    assert headless.refresh(APIClient(), refresh_token=verified["refresh"]).status_code == 400


def test_bearer_request_to_own_profile_runs_a_fixed_number_of_queries(
    verified, me, django_assert_num_queries
):
    client = APIClient()
    with django_assert_num_queries(3):  # the token's session, its user, whether the email is verified
        response = client.get(me, headers=headless.bearer(verified["access"]))

    assert response.status_code == 200


def test_schema_is_served_as_openapi(api_client):
    response = api_client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


def test_schema_documents_the_jwt_bearer_scheme(api_client, me):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()

    assert schema["components"]["securitySchemes"]["JWT"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": ANY,
    }
    assert {"JWT": []} in schema["paths"][me]["get"]["security"]


def test_schema_documents_responses_in_the_envelope(api_client, me):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()

    schemas = schema["components"]["schemas"]
    body = schema["paths"][me]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/MeEnvelope"}
    assert schemas["MeEnvelope"]["required"] == ["success", "message", "data", "error"]
    assert "already_enrolled" in schemas["ErrorCode"]["enum"]


def test_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    assert "securitySchemes" in target.read_text()
