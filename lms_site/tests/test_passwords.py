"""The password policy, as sign-up enforces it, and how passwords are stored."""

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from config.settings import base
from lms_site.passwords import CharacterClassValidator

from . import headless
from .factories import PASSWORD

EMAIL = "learner@example.com"
NEW_PASSWORD = "N3w-Secure-Pass"


def password_errors(response) -> list[str]:
    return [error["code"] for error in response.json()["errors"] if error.get("param") == "password"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Sh0rt", "password_too_short"),
        ("lowercase123", "password_character_classes"),
        ("UPPERCASE123", "password_character_classes"),
        ("NoDigitsHere", "password_character_classes"),
        ("Password1", "password_too_common"),
        ("84736251907", "password_entirely_numeric"),
    ],
)
def test_signup_refuses_a_weak_password_on_the_password_field(password, code):
    response = headless.signup(APIClient(), email=EMAIL, password=password)

    assert response.status_code == 400
    assert code in password_errors(response)


@pytest.mark.django_db
def test_signup_refuses_a_password_like_the_email():
    response = headless.signup(APIClient(), email="rumpelstiltskin@example.com", password="Rumpelstiltskin1")

    assert response.status_code == 400
    assert "password_too_similar" in password_errors(response)


@pytest.mark.django_db
def test_signup_accepts_a_strong_password():
    response = headless.signup(APIClient(), email=EMAIL, password="Tr1cky-Ladder-Oak")

    assert response.status_code == 401  # account created, verification pending
    assert headless.sent_code(EMAIL)


@pytest.fixture
def reset_session(student):
    """The session token of a password reset requested for `student`, whose code is in the outbox."""
    response = headless.post(APIClient(), headless.PASSWORD_REQUEST, {"email": student.email})
    return response.json()["meta"]["session_token"]


def reset_password(student, session_token: str, password: str):
    data = {"key": headless.sent_code(student.email), "password": password}
    return headless.post(APIClient(), headless.PASSWORD_RESET, data, **{"X-Session-Token": session_token})


@pytest.mark.django_db
def test_password_reset_with_the_emailed_code_sets_the_new_password(student, reset_session):
    reset_password(student, reset_session, NEW_PASSWORD)

    assert headless.login(APIClient(), email=student.email, password=NEW_PASSWORD).status_code == 200
    assert headless.login(APIClient(), email=student.email).status_code == 400


@pytest.mark.django_db
def test_password_reset_refuses_a_weak_password(student, reset_session):
    response = reset_password(student, reset_session, "weakpassword")

    assert response.status_code == 400
    assert "password_character_classes" in password_errors(response)
    student.refresh_from_db()
    assert student.check_password(PASSWORD)


@pytest.mark.django_db
def test_password_change_with_a_bearer_token_sets_the_new_password(student):
    access = headless.login_tokens(APIClient(), student)["access"]

    response = APIClient().post(
        headless.PASSWORD_CHANGE,
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        format="json",
        headers=headless.bearer(access),
    )

    assert response.status_code == 200
    student.refresh_from_db()
    assert student.check_password(NEW_PASSWORD)


def test_character_class_validator_accepts_upper_lower_and_digit():
    CharacterClassValidator().validate("aB3")


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("abc123", "The password must contain an upper-case letter."),
        ("ABC123", "The password must contain a lower-case letter."),
        ("abcABC", "The password must contain a digit."),
        ("!!!!", "The password must contain an upper-case letter, a lower-case letter and a digit."),
    ],
)
def test_character_class_validator_names_every_missing_class(password, message):
    with pytest.raises(ValidationError) as raised:
        CharacterClassValidator().validate(password)

    assert raised.value.code == "password_character_classes"
    assert raised.value.messages == [message]


def test_character_class_validator_explains_the_policy():
    help_text = CharacterClassValidator().get_help_text()

    assert all(word in help_text for word in ("upper-case", "lower-case", "digit"))


def test_argon2_hashes_new_passwords_and_pbkdf2_still_verifies_old_ones():
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in base.PASSWORD_HASHERS
    Argon2PasswordHasher()._load_library()  # argon2-cffi is installed


def test_character_class_validator_is_part_of_the_policy():
    names = [validator["NAME"] for validator in base.AUTH_PASSWORD_VALIDATORS]

    assert "lms_site.passwords.CharacterClassValidator" in names
