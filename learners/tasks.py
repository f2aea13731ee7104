from celery import shared_task

from . import services


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def render_certificate(certificate_id: str) -> None:
    services.certificate_render(certificate_id=certificate_id)
