"""Work handed to the workers is never lost: with the broker unreachable it runs in this process."""

import logging

import pytest
from django.core.mail import EmailMultiAlternatives

from lms_site.emails import enqueue_email

from .redis_and_celery import closed_port, publishing_to, unreachable_redis_url

pytestmark = pytest.mark.django_db


def message() -> EmailMultiAlternatives:
    return EmailMultiAlternatives(
        "Your course was approved", "Plain body", "noreply@example.com", ["ada@example.com"]
    )


def test_mail_is_sent_from_this_process_while_the_broker_is_unreachable(
    mailoutbox, django_capture_on_commit_callbacks
):
    with publishing_to(unreachable_redis_url()), django_capture_on_commit_callbacks(execute=True):
        enqueue_email(message())

    assert [sent.subject for sent in mailoutbox] == ["Your course was approved"]


def test_a_task_failing_in_this_process_is_logged_without_failing_the_caller(
    settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()

    with (
        publishing_to(unreachable_redis_url()),
        caplog.at_level(logging.ERROR),
        django_capture_on_commit_callbacks(execute=True),
    ):
        enqueue_email(message())

    assert [record.getMessage() for record in caplog.records if record.name == "lms_site.jobs"] == [
        "lms_site.tasks.send_email failed in this process (the broker is unreachable)"
    ]


def test_without_a_broker_a_job_runs_here_and_warns_of_nothing(
    mailoutbox, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.WARNING)  # kombu warned "No hostname was supplied" on every job

    with django_capture_on_commit_callbacks(execute=True):
        enqueue_email(message())

    assert [sent.subject for sent in mailoutbox] == ["Your course was approved"]
    assert [record.getMessage() for record in caplog.records] == []
