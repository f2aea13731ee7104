"""Redis and Celery in tests: addresses where nothing listens, the failover cache, tasks published."""

import socket
from contextlib import contextmanager

from celery import Celery
from kombu import pools
from kombu.utils.collections import eqhash

from config.celery import app as project_app


def closed_port() -> int:
    """A local port nothing listens on: connections are refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def unreachable_redis_url() -> str:
    """A fresh one per call: outages in different tests share no breaker and no stand-in memory."""
    return f"redis://127.0.0.1:{closed_port()}/0"


def failover_cache(location: str) -> dict:
    """CACHES with the Redis cache of config/settings/base.py at `location`, on its default options."""
    return {"default": {"BACKEND": "lms_site.cache.FailoverRedisCache", "LOCATION": location}}


@contextmanager
def publishing_to(broker_url: str, **conf):
    """Tasks are published, not run eagerly, through an app configured from the settings and this broker.

    A separate app made current keeps the project app's configuration and connections untouched.
    """
    app = Celery("lms-test", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(task_always_eager=False, broker_url=broker_url, **conf)
    app.set_current()
    try:
        yield app
    finally:
        app.pool.force_close_all()
        forget_broker_pools(app.connection_for_write())
        project_app.set_current()


def forget_broker_pools(connection) -> None:
    """Let later tests open their own connections to the broker.

    kombu shares broker pools per URL across the process, and closing an app's pool leaves it
    registered: a later test on the same URL would get "Acquire on closed pool".
    """
    for group in (pools.connections, pools.producers):
        group.pop(eqhash(connection), None)
