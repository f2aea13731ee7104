"""Tampered access tokens are refused (docs/security.md, API2).

Expired tokens, tokens signed with another key and refresh tokens sent as access tokens are
proven in test_auth_headless.py; this module covers the other ways to forge or misuse one.
"""

import base64
import hashlib
import hmac
import json

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.urls import reverse
from rest_framework.test import APIClient

from lms_site.models import Role

from . import headless

pytestmark = pytest.mark.django_db

ME = reverse("api:me")
USERS = reverse("api:user-list")


def claims(token: str) -> dict:
    return jwt.decode(token, options={"verify_signature": False})


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hand_made(header: dict, payload: dict, sign=lambda signing_input: b"") -> str:
    """A JWT assembled by hand, so nothing (not even PyJWT's own refusals) stands in the attacker's way."""
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}"
    return f"{signing_input}.{b64(sign(signing_input.encode()))}"


def get_me(token: str):
    return APIClient().get(ME, headers=headless.bearer(token))


def assert_refused(response):
    assert response.status_code == 401, response.content
    assert response.json()["error"]["code"] == "authentication_failed"


@pytest.fixture
def tokens(student):
    return headless.login_tokens(APIClient(), student)


def test_genuine_access_token_is_accepted(tokens):
    """The control: the tokens the refusals below start from are good ones."""
    assert get_me(tokens["access"]).status_code == 200


@pytest.mark.parametrize("alg", ["none", "None", "NONE"])
def test_unsigned_token_with_alg_none_is_refused(tokens, alg):
    """A null-cipher token carrying the real claims must not pass as signed (ASVS V3.5.3)."""
    forged = hand_made({"alg": alg, "typ": "JWT"}, {**claims(tokens["access"]), "role": Role.ADMIN})

    assert_refused(get_me(forged))


def test_claims_changed_under_the_original_signature_are_refused(tokens, other_student):
    """Swapping `sub` for another user's id while keeping the signature breaks the signature."""
    header, _, signature = tokens["access"].split(".")
    payload = b64(json.dumps({**claims(tokens["access"]), "sub": str(other_student.pk)}).encode())

    assert_refused(get_me(f"{header}.{payload}.{signature}"))


def test_access_token_is_not_a_refresh_token(tokens):
    """`token_use` keeps the two apart both ways: an access token buys no new pair."""
    response = headless.refresh(APIClient(), refresh_token=tokens["access"])

    assert response.status_code == 400
    assert "data" not in response.json()


def test_token_signed_with_the_real_key_for_another_user_is_refused(tokens, other_student):
    """Even a leaked signing key cannot move a session to someone else: the session names its user."""
    forged = jwt.encode(
        {**claims(tokens["access"]), "sub": str(other_student.pk)}, settings.SECRET_KEY, algorithm="HS256"
    )

    assert_refused(get_me(forged))


def test_role_claim_is_not_trusted_for_authorisation(tokens):
    """Authorisation reads the role from the database; a token saying `admin` opens no admin endpoint."""
    forged = jwt.encode(
        {**claims(tokens["access"]), "role": Role.ADMIN}, settings.SECRET_KEY, algorithm="HS256"
    )

    response = APIClient().get(USERS, headers=headless.bearer(forged))

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


@pytest.fixture
def rs256(settings):
    """Production's signing: RS256 with a private key; returns the public key as a client could learn it."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    settings.HEADLESS_JWT_PRIVATE_KEY = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    settings.HEADLESS_JWT_ALGORITHM = "RS256"
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def test_rs256_access_token_is_accepted(rs256, student):
    """The control for the confusion test: production-style tokens work."""
    access = headless.login_tokens(APIClient(), student)["access"]

    assert jwt.get_unverified_header(access)["alg"] == "RS256"
    assert get_me(access).status_code == 200


def test_hs256_token_keyed_with_the_rs256_public_key_is_refused(rs256, student):
    """Algorithm confusion: the public key used as an HMAC secret must not verify."""
    access = headless.login_tokens(APIClient(), student)["access"]
    forged = hand_made(
        {"alg": "HS256", "typ": "JWT"},
        claims(access),
        sign=lambda signing_input: hmac.new(rs256, signing_input, hashlib.sha256).digest(),
    )

    assert_refused(get_me(forged))
