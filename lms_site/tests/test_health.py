import time
from unittest import mock

import pytest
from django.db import OperationalError, connection

from lms_site.health import ProbeMiddleware
from lms_site.tests.redis_and_celery import failover_cache, unreachable_redis_url

pytestmark = pytest.mark.django_db

# Port 1 is never a Redis: the connection is refused at once, as with a broker that is down.
UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"


def test_healthz_answers_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_ready_with_database_cache_and_eager_tasks(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "checks": {"database": "ok", "cache": "ok", "broker": "eager"},
    }


def test_readyz_is_not_ready_when_the_database_fails(client):
    # The SQLite test database lives in memory and ignores close(), so a dead server cannot be
    # simulated on every backend; the cursor raises what the driver raises when it cannot connect.
    refused = OperationalError("connection to server at 127.0.0.1 port 5432 failed: Connection refused")
    with mock.patch.object(connection, "cursor", side_effect=refused):
        response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "not ready",
        "checks": {"database": "unavailable", "cache": "ok", "broker": "eager"},
    }


def test_readyz_is_not_ready_when_the_broker_is_unreachable(client, settings):
    settings.CELERY_BROKER_URL = UNREACHABLE_BROKER

    started = time.monotonic()
    response = client.get("/readyz")
    elapsed = time.monotonic() - started

    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "ok", "broker": "unavailable"}
    assert elapsed < 30  # no retries: retrying the broker (Kombu's default) would wait far longer


def test_readyz_reports_an_unreachable_redis_although_the_cache_stands_in_for_it(client, settings):
    settings.CACHES = failover_cache(unreachable_redis_url())

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "unavailable"


def test_probe_middleware_answers_probes_from_hosts_not_allowed(client, settings):
    settings.ALLOWED_HOSTS = ["lms.example.com"]
    settings.MIDDLEWARE = ["lms_site.health.ProbeMiddleware", *settings.MIDDLEWARE]

    response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")

    assert response.status_code == 200


def test_probe_middleware_passes_other_paths_on(rf):
    passed_on = mock.Mock(return_value="site response")

    response = ProbeMiddleware(passed_on)(rf.get("/courses/"))

    assert response == "site response"
