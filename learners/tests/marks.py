"""Marks of the tests whose data other threads or processes read (real races, a worker process)."""

import pytest
from django.db import connection


def committed_on_postgresql(*, why: str) -> list[pytest.MarkDecorator]:
    """The test commits its data, so others see it, on PostgreSQL; conftest's `migrated_rows_restored`
    puts back afterwards what the data migrations made."""
    return [
        pytest.mark.skipif(connection.vendor != "postgresql", reason=why),
        pytest.mark.django_db(transaction=True, serialized_rollback=True),
        pytest.mark.usefixtures("migrated_rows_restored"),
    ]
