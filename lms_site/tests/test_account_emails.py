"""The emails allauth sends for the site: each has a plain-text and an HTML part saying the same thing."""

import re

import pytest
from allauth.account.adapter import get_adapter
from allauth.core.context import request_context
from django.contrib.sites.shortcuts import get_current_site
from django.urls import reverse
from django.utils import timezone

from lms_site.tests.factories import PASSWORD, SIGNUP_NAME

pytestmark = pytest.mark.django_db

SIGNUP = reverse("account_signup")
RESET = reverse("account_reset_password")
CHANGE_PASSWORD = reverse("account_change_password")
EMAILED_CODE = re.compile(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}\b")
HTML_LAYOUT = "<!DOCTYPE html>"


def text_and_html(message):
    """The two parts of a message; fails unless there is exactly one HTML alternative."""
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return message.body, html


@pytest.fixture
def send(client, django_capture_on_commit_callbacks, mailoutbox):
    """POST with the on-commit mail hand-off run, returning the messages sent."""

    def post(path, data):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(path, data)
        assert response.status_code == 302
        return mailoutbox

    return post


def test_signup_sends_one_verification_email_with_code_in_text_and_html(send):
    outbox = send(
        SIGNUP, {**SIGNUP_NAME, "email": "newcomer@example.com", "password1": PASSWORD, "password2": PASSWORD}
    )

    assert len(outbox) == 1
    assert outbox[0].to == ["newcomer@example.com"]
    text, html = text_and_html(outbox[0])
    code = EMAILED_CODE.search(text).group()
    assert code in html
    assert HTML_LAYOUT in html


def test_signup_with_taken_email_sends_account_already_exists_email(send, student):
    outbox = send(
        SIGNUP, {**SIGNUP_NAME, "email": student.email, "password1": PASSWORD, "password2": PASSWORD}
    )

    assert len(outbox) == 1
    assert outbox[0].to == [student.email]
    assert "already have an account" in outbox[0].subject
    text, html = text_and_html(outbox[0])
    reset_url = f"http://testserver{RESET}"
    assert reset_url in text
    assert f'href="{reset_url}"' in html
    assert EMAILED_CODE.search(text) is None


def test_password_reset_sends_code_in_text_and_html(send, student):
    outbox = send(RESET, {"email": student.email})

    assert len(outbox) == 1
    assert outbox[0].to == [student.email]
    text, html = text_and_html(outbox[0])
    code = EMAILED_CODE.search(text).group()
    assert code in html


def test_password_reset_for_unknown_email_sends_unknown_account_email(send):
    outbox = send(RESET, {"email": "nobody@example.com"})

    assert len(outbox) == 1
    assert outbox[0].to == ["nobody@example.com"]
    text, html = text_and_html(outbox[0])
    signup_url = f"http://testserver{SIGNUP}"
    assert signup_url in text
    assert f'href="{signup_url}"' in html
    assert EMAILED_CODE.search(text) is None


def test_password_change_sends_notification_email(client, send, student):
    client.force_login(student)
    new = "An0therGoodOne"

    outbox = send(CHANGE_PASSWORD, {"oldpassword": PASSWORD, "password1": new, "password2": new})

    assert len(outbox) == 1
    assert outbox[0].to == [student.email]
    text, html = text_and_html(outbox[0])
    assert "password of your account was changed" in text
    assert "password of your account was changed" in html
    assert new not in text + html


NOTIFICATION = {"timestamp": timezone.now(), "ip": "203.0.113.9", "user_agent": "Firefox"}


@pytest.mark.parametrize(
    ("prefix", "context", "expected"),
    [
        ("email_confirmation", {"code": "ABCD-EFGH"}, "ABCD-EFGH"),
        ("email_confirmation_signup", {"code": "ABCD-EFGH"}, "ABCD-EFGH"),
        ("password_reset_code", {"code": "WXYZ-2345"}, "WXYZ-2345"),
        (
            "account_already_exists",
            {"password_reset_url": "https://lp.test/reset/"},
            "https://lp.test/reset/",
        ),
        ("unknown_account", {"signup_url": "https://lp.test/signup/"}, "https://lp.test/signup/"),
        ("password_changed", NOTIFICATION, "203.0.113.9"),
        ("password_set", NOTIFICATION, "203.0.113.9"),
        ("password_reset", NOTIFICATION, "203.0.113.9"),
        ("email_changed", {**NOTIFICATION, "from_email": "a@lp.test", "to_email": "b@lp.test"}, "b@lp.test"),
        ("email_deleted", {**NOTIFICATION, "deleted_email": "gone@lp.test"}, "gone@lp.test"),
    ],
)
def test_account_email_has_text_and_html_parts_with_its_details(rf, prefix, context, expected):
    request = rf.get("/")
    with request_context(request):
        context = {"request": request, "current_site": get_current_site(request), **context}
        message = get_adapter().render_mail(f"account/email/{prefix}", "someone@lp.test", context)

    text, html = text_and_html(message)
    assert message.subject.startswith("[Learning Platform] ")
    assert expected in text
    assert expected in html
    assert "<" not in text
    assert HTML_LAYOUT in html
