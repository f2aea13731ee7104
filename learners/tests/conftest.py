"""Fixtures for the learners tests that commit (threads, a worker process)."""

import pytest
from django.db import connection

from .browser import chromium, people, site_url  # noqa: F401 - the journeys' fixtures, for every module here


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


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed browser journey leaves full-page screenshots in var/test-artifacts/."""
    report = yield
    crowd = item.funcargs.get("people") if report.when == "call" and report.failed else None
    if crowd is not None:
        crowd.screenshot(item.name)
    return report
