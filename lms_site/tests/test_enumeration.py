"""Nobody learns through the API whether an email address has an account."""

import pytest
from allauth.account.adapter import get_adapter
from django.contrib.sites.models import Site
from django.core import mail
from django.template.loader import render_to_string
from rest_framework.test import APIClient

from lms_site.models import User

from . import headless

pytestmark = pytest.mark.django_db

NEW_EMAIL = "nobody@example.com"


def shape(response) -> tuple:
    """What a caller can compare between two answers: status, pending flows and meta keys."""
    body = response.json()
    flows = [(flow["id"], flow.get("is_pending")) for flow in body.get("data", {}).get("flows", [])]
    return response.status_code, flows, sorted(body.get("meta", {})), body.get("errors")


def subject_of(template_prefix: str) -> str:
    context = {"current_site": Site.objects.get_current()}
    return get_adapter().format_email_subject(
        render_to_string(f"{template_prefix}_subject.txt", context).strip()
    )


def test_signup_with_a_registered_email_answers_like_a_new_email(student):
    registered = headless.signup(APIClient(), email=student.email)
    new = headless.signup(APIClient(), email=NEW_EMAIL)

    assert registered.status_code == 401
    assert shape(registered) == shape(new)


def test_signup_with_a_registered_email_mails_account_exists_instead_of_a_code(student):
    headless.signup(APIClient(), email=student.email)

    [message] = mail.outbox
    assert message.to == [student.email]
    assert message.subject == subject_of("account/email/account_already_exists")
    assert headless.CODE.search(message.body) is None
    assert User.objects.filter(email__iexact=student.email).count() == 1


def test_signup_with_a_registered_email_in_other_case_creates_no_account(student):
    headless.signup(APIClient(), email=student.email.upper())

    assert User.objects.filter(email__iexact=student.email).count() == 1


def test_password_reset_request_for_an_unknown_email_answers_like_a_known_one(student):
    known = headless.post(APIClient(), headless.PASSWORD_REQUEST, {"email": student.email})
    unknown = headless.post(APIClient(), headless.PASSWORD_REQUEST, {"email": NEW_EMAIL})

    assert known.status_code == 401
    assert shape(known) == shape(unknown)


def test_password_reset_request_mails_a_code_only_to_a_known_email(student):
    headless.post(APIClient(), headless.PASSWORD_REQUEST, {"email": student.email})
    headless.post(APIClient(), headless.PASSWORD_REQUEST, {"email": NEW_EMAIL})

    known, unknown = mail.outbox
    assert (known.to, unknown.to) == ([student.email], [NEW_EMAIL])
    assert headless.CODE.search(known.body)
    assert headless.CODE.search(unknown.body) is None


def test_login_with_an_unknown_email_answers_like_a_wrong_password(student):
    wrong_password = headless.login(APIClient(), email=student.email, password="Wr0ngPassword")
    unknown = headless.login(APIClient(), email=NEW_EMAIL, password="Wr0ngPassword")

    assert wrong_password.status_code == 400
    assert shape(wrong_password) == shape(unknown)
