"""The application behind a real PgBouncer in transaction mode, as deployed (compose, Kubernetes).

Persistent connections (CONN_MAX_AGE) to PgBouncer and no health-check query per request: PgBouncer
checks its own server connections, so the application's connection stays good even when the
PostgreSQL connection behind it is gone.
"""

import psycopg2
import pytest
from django.db import connection

from learners.models import Enrollment
from learners.tests.conftest import migrated_rows_restored  # noqa: F401 - the committed tests' clean-up
from learners.tests.factories import published_course
from learners.tests.marks import committed_on_postgresql

from .pgbouncer import clients_of, running_pgbouncer

pytestmark = committed_on_postgresql(
    why="PgBouncer pools PostgreSQL connections; use PostgreSQL (DATABASE_URL)"
)

# As deploy/kubernetes/base/config.env sets them.
CONN_MAX_AGE = 600


@pytest.fixture
def through_pgbouncer(tmp_path):
    """The test's database connection goes through PgBouncer, configured as for deployment."""
    database = connection.settings_dict
    original = {key: database[key] for key in ("HOST", "PORT", "CONN_MAX_AGE", "CONN_HEALTH_CHECKS")}
    original_cursors = database.get("DISABLE_SERVER_SIDE_CURSORS", False)
    with running_pgbouncer(
        tmp_path / "pgbouncer",
        server_host=database["HOST"] or "127.0.0.1",
        server_port=int(database["PORT"] or 5432),
        user=database["USER"],
    ) as port:
        connection.close()
        database.update(
            HOST="127.0.0.1",
            PORT=port,
            CONN_MAX_AGE=CONN_MAX_AGE,
            CONN_HEALTH_CHECKS=False,
            DISABLE_SERVER_SIDE_CURSORS=True,
        )
        try:
            yield port
        finally:
            connection.close()
            database.update(original, DISABLE_SERVER_SIDE_CURSORS=original_cursors)


def end_server_connections(database: str, user: str) -> int:
    """Terminate every PostgreSQL connection to `database`, as a failover or a restart would."""
    direct = psycopg2.connect(
        host=connection.settings_dict["HOST"] or "127.0.0.1", dbname="postgres", user=user
    )
    direct.autocommit = True
    try:
        with direct.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = %s",
                [database],
            )
            return cursor.fetchone()[0]
    finally:
        direct.close()


def test_requests_keep_one_connection_to_pgbouncer_through_lost_server_connections(
    through_pgbouncer, admin, student, client, client_for
):
    course = published_course(admin=admin)
    user = connection.settings_dict["USER"]
    database = connection.settings_dict["NAME"]
    api = client_for(student)

    assert client.get("/courses/").status_code == 200
    assert client.get(course.url).status_code == 200
    kept = connection.connection
    enrolled = api.post(f"/api/v1/courses/{course.pk}/enroll/")
    assert enrolled.status_code == 201, enrolled.content
    assert end_server_connections(database, user) >= 1

    listed = api.get("/api/v1/enrollments/")

    assert listed.status_code == 200
    assert [item["id"] for item in listed.json()["data"]["results"]] == [enrolled.json()["data"]["id"]]
    assert connection.connection is kept  # never reconnected: persistent, and nothing checked it
    assert not connection.health_check_enabled
    assert clients_of(through_pgbouncer, user=user, database=database) == 1


def test_iterating_a_large_query_outside_a_transaction_works_in_transaction_mode(through_pgbouncer, student):
    # A server-side cursor would live on one server connection, and the next chunk may get another.
    assert [row.pk for row in type(student).objects.filter(pk=student.pk).iterator(chunk_size=1)] == [
        student.pk
    ]
    assert list(Enrollment.objects.iterator(chunk_size=1)) == []
