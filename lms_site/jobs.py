"""Handing work to the Celery workers: the one path every caller takes.

A task is queued once the data it reads is committed. When the broker cannot be reached the task
runs here, in the process that asked for it, rather than being lost: the request takes longer (a
mail sent, a PDF drawn) but completes. Publishing gives up fast (see CELERY_TASK_PUBLISH_RETRY_POLICY
and the broker's timeouts in settings) and, for FAILOVER_RETRY_SECONDS after a failure, is not
even tried (lms_site.circuit).
"""

import logging
from functools import partial

from celery import Task
from django.conf import settings
from django.db import transaction
from kombu.exceptions import OperationalError
from kombu.utils.url import maybe_sanitize_url

from .circuit import breaker_for

logger = logging.getLogger(__name__)


def enqueue(task: Task, *args, **kwargs) -> None:
    """Queue `task(*args, **kwargs)` after the surrounding transaction commits (at once outside one)."""
    transaction.on_commit(partial(_publish, task, args, kwargs))


def _publish(task: Task, args: tuple, kwargs: dict) -> None:
    if task.app.conf.task_always_eager:  # no broker configured: run it here, without a producer
        task.apply(args, kwargs)  # apply_async would open a broker connection to "localhost" first
        return
    broker = breaker_for(
        f"Celery broker at {maybe_sanitize_url(task.app.conf.broker_url)}",
        errors=(OperationalError,),
        retry_seconds=settings.FAILOVER_RETRY_SECONDS,
    )
    broker.call(task.apply_async, partial(_run_here, task), args, kwargs)


def _run_here(task: Task, args: tuple, kwargs: dict) -> None:
    """Run the task once, now. A failure is logged: the request that queued it has committed."""
    try:
        task(*args, **kwargs)
    except Exception:
        logger.exception("%s failed in this process (the broker is unreachable)", task.name)
