"""Liveness and readiness for load balancers and orchestrators."""

import logging

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)

# A probe must answer well inside the orchestrator's timeout, even when a dependency hangs.
PROBE_TIMEOUT_SECONDS = 2


@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache():
    # The failover cache answers from memory while Redis is down; readiness asks Redis itself.
    store = getattr(cache, "primary", cache)
    store.set("readyz", "1", timeout=5)
    if store.get("readyz") != "1":
        raise RuntimeError("cache did not return what was stored")


def _check_broker():
    if not settings.CELERY_BROKER_URL:
        return "eager"
    with current_app.connection_for_write(
        settings.CELERY_BROKER_URL,
        connect_timeout=PROBE_TIMEOUT_SECONDS,
        transport_options={"socket_timeout": PROBE_TIMEOUT_SECONDS},
    ) as conn:
        # No retries: a probe reports the state now; the orchestrator does the retrying.
        conn.ensure_connection(max_retries=0)
    return "ok"


@never_cache
def readyz(request):
    checks = {}
    for name, check in (("database", _check_database), ("cache", _check_cache), ("broker", _check_broker)):
        try:
            checks[name] = check() or "ok"
        except Exception as exc:
            logger.warning("readiness check %s failed: %s", name, exc)
            checks[name] = "unavailable"
    ready = all(value in ("ok", "eager") for value in checks.values())
    return JsonResponse(
        {"status": "ready" if ready else "not ready", "checks": checks}, status=200 if ready else 503
    )


PROBES = {"/healthz": healthz, "/readyz": readyz}


class ProbeMiddleware:
    """Answer probes before host validation and the HTTPS redirect.

    Load balancers and container runtimes probe over plain HTTP with their own address as the
    Host header; ALLOWED_HOSTS and SECURE_SSL_REDIRECT would turn every probe into a 400 or a 301.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = PROBES.get(request.path_info)
        return probe(request) if probe else self.get_response(request)
