"""Reads that may go to the read replica (DATABASE_REPLICA_URL), and the router that sends them.

Only reads wrapped in `replica_reads()` go there: analytics and the pages anonymous visitors
browse, where a second of replication lag is harmless. Everything else, and every read once the
request has written or while a transaction is open, stays on the primary, so nobody reads their
own change back from a replica that has not received it yet.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

_replica_wanted: ContextVar[bool] = ContextVar("replica_wanted", default=False)
_wrote: ContextVar[bool] = ContextVar("wrote", default=False)


@contextmanager
def replica_reads():
    """Reads inside may be served by the replica, if there is one and nothing was written yet."""
    token = _replica_wanted.set(True)
    try:
        yield
    finally:
        _replica_wanted.reset(token)


class ReplicaRouter:
    """Sends the reads of `replica_reads()` to the replica; writes and migrations to the primary."""

    def db_for_read(self, model, **hints):
        if (
            _replica_wanted.get()
            and not _wrote.get()
            and REPLICA in connections.settings
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        _wrote.set(True)
        return None

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one set of data: the replica is a copy of the primary

    def allow_migrate(self, db, app_label, **hints):
        return db == DEFAULT_DB_ALIAS


class ReplicaRequestMiddleware:
    """Each request starts with no write behind it; its writes keep its later reads on the primary."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _wrote.set(False)
        try:
            return self.get_response(request)
        finally:
            _wrote.reset(token)
