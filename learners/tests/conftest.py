"""Fixtures for the learners tests that commit (threads, a worker process)."""

import pytest
from django.db import connection


@pytest.fixture(scope="module")
def migrated_rows_restored(django_db_setup, django_db_blocker):
    """Put back what the data migrations made once a module of transactional tests is done.

    A transactional test ends by flushing every table, so the home page, the course index, the
    review workflow and the groups go too. `serialized_rollback=True` reloads them before each
    such test; this reloads them after the module's last one, for the transactional tests that
    follow and for a database kept by --reuse-db, which would otherwise start the next run empty.
    """
    yield
    contents = getattr(connection, "_test_serialized_contents", None)
    if contents is not None:
        with django_db_blocker.unblock():
            connection.creation.deserialize_db_from_string(contents)
