"""Drive allauth's headless app client over HTTP, as the mobile app and the front end do.

Test-only helpers: sign up, read the emailed code, verify, log in, and build the bearer
header for /api/v1/. Each call is a real request through the URLconf and middleware.
"""

import re

from django.core import mail
from django.test import TestCase
from rest_framework.test import APIClient

from .factories import PASSWORD, SIGNUP_NAME, totp_code

BASE = "/_allauth/app/v1/"
SIGNUP = f"{BASE}auth/signup"
LOGIN = f"{BASE}auth/login"
VERIFY_EMAIL = f"{BASE}auth/email/verify"
SESSION = f"{BASE}auth/session"
PASSWORD_REQUEST = f"{BASE}auth/password/request"
PASSWORD_RESET = f"{BASE}auth/password/reset"
PASSWORD_CHANGE = f"{BASE}account/password/change"
REFRESH = f"{BASE}tokens/refresh"
MFA_AUTHENTICATE = f"{BASE}auth/2fa/authenticate"
REAUTHENTICATE = f"{BASE}auth/reauthenticate"
AUTHENTICATORS = f"{BASE}account/authenticators"
TOTP = f"{AUTHENTICATORS}/totp"
RECOVERY_CODES = f"{AUTHENTICATORS}/recovery-codes"

# allauth's verification codes look like "GJGS-GQWR".
CODE = re.compile(r"\b([A-Z0-9]{4}-[A-Z0-9]{4})\b")


def post(client: APIClient, url: str, data: dict, **headers):
    """POST JSON, delivering the mail queued on commit as a real request would."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, data, format="json", headers=headers)


def signup(client: APIClient, *, email: str, password: str = PASSWORD, name: dict = SIGNUP_NAME):
    """Sign up with `name` (first_name, last_name) as the app's form sends it; `name={}` sends none."""
    return post(client, SIGNUP, {"email": email, "password": password, **name})


def login(client: APIClient, *, email: str, password: str = PASSWORD):
    return post(client, LOGIN, {"email": email, "password": password})


def authenticate_second_factor(client: APIClient, *, session_token: str, code: str):
    return post(client, MFA_AUTHENTICATE, {"code": code}, **{"X-Session-Token": session_token})


def pending_flow(response) -> str | None:
    """The id of the step a 401 login answer waits for ("verify_email", "mfa_authenticate")."""
    return next((flow["id"] for flow in response.json()["data"]["flows"] if flow.get("is_pending")), None)


def verify_email(client: APIClient, *, session_token: str, code: str):
    return post(client, VERIFY_EMAIL, {"key": code}, **{"X-Session-Token": session_token})


def refresh(client: APIClient, *, refresh_token: str):
    return post(client, REFRESH, {"refresh_token": refresh_token})


def logout(client: APIClient, *, access_token: str):
    return client.delete(SESSION, headers=bearer(access_token))


def sent_code(email: str) -> str:
    """The verification code in the latest message sent to `email`."""
    message = next(m for m in reversed(mail.outbox) if email in m.to)
    return CODE.search(message.body).group(1)


def tokens(response) -> dict:
    """The access and refresh tokens of a successful login or verification (in `meta`)."""
    meta = response.json()["meta"]
    return {"access": meta["access_token"], "refresh": meta["refresh_token"]}


def refreshed_tokens(response) -> dict:
    """The new pair from `tokens/refresh`, which answers them in `data`."""
    data = response.json()["data"]
    return {"access": data["access_token"], "refresh": data["refresh_token"]}


def bearer(access_token: str) -> dict:
    return {"Authorization": f"Bearer {access_token}"}


def signup_and_verify(client: APIClient, *, email: str, password: str = PASSWORD) -> dict:
    """A new, verified account; returns its tokens as the verification step hands them out."""
    session_token = signup(client, email=email, password=password).json()["meta"]["session_token"]
    return tokens(verify_email(client, session_token=session_token, code=sent_code(email)))


def login_tokens(client: APIClient, user, password: str = PASSWORD) -> dict:
    """Tokens for an existing verified user (e.g. from the factories); their app's code if they have one."""
    response = login(client, email=user.email, password=password)
    if response.status_code == 401 and pending_flow(response) == "mfa_authenticate":
        session_token = response.json()["meta"]["session_token"]
        response = authenticate_second_factor(client, session_token=session_token, code=totp_code(user))
    assert response.status_code == 200, response.content
    return tokens(response)
