from celery import shared_task
from django.core.management import call_command


@shared_task
def publish_scheduled():
    """Publish pages whose go-live time has come; a scheduled course then turns published."""
    call_command("publish_scheduled")
