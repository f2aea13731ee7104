"""Outgoing mail: rendered in the request, delivered by a Celery task once the data is committed."""

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string

from .jobs import enqueue


def render_templated_email(*, template_prefix: str, to: list[str], context: dict) -> EmailMultiAlternatives:
    """Build a message from `<prefix>_subject.txt`, `<prefix>_message.txt` and `.html`."""
    subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).splitlines()).strip()
    body = render_to_string(f"{template_prefix}_message.txt", context).strip()
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    message.attach_alternative(render_to_string(f"{template_prefix}_message.html", context), "text/html")
    return message


def enqueue_email(message: EmailMessage) -> None:
    """Hand a rendered message to the worker after the surrounding transaction commits."""
    from .tasks import send_email

    html = next(
        (content for content, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"),
        None,
    )
    payload = {
        "subject": message.subject,
        "body": message.body,
        "html": html,
        "from_email": message.from_email,
        "to": list(message.to),
        "headers": dict(message.extra_headers),
    }
    enqueue(send_email, **payload)


def send_templated_email(*, template_prefix: str, to: list[str], context: dict) -> None:
    enqueue_email(render_templated_email(template_prefix=template_prefix, to=to, context=context))
