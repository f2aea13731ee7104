"""The read replica (DATABASE_REPLICA_URL): which reads go there, and that none follows a write.

The replica is a second alias onto the test database, a connection of its own that sees committed
data only, so these tests commit; the queries each connection ran show where every read went.
"""

import pytest
from django.db import connections, router, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from learners.tests.conftest import migrated_rows_restored  # noqa: F401 - the committed tests' clean-up
from learners.tests.factories import published_course

from ..models import User
from ..replica import REPLICA, ReplicaRequestMiddleware, replica_reads

# As learners.tests.marks.committed_on_postgresql, with the replica alias allowed as well.
pytestmark = [
    pytest.mark.skipif(
        connections["default"].vendor != "postgresql", reason="the replica alias needs PostgreSQL"
    ),
    pytest.mark.django_db(databases=["default", REPLICA], transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("migrated_rows_restored", "replica_router"),
]


@pytest.fixture
def replica_router(settings):
    settings.DATABASE_ROUTERS = ["lms_site.replica.ReplicaRouter"]


def queries_on(alias: str) -> CaptureQueriesContext:
    return CaptureQueriesContext(connections[alias])


def test_anonymous_catalog_pages_are_rendered_from_the_replica(client, admin, settings):
    settings.DATABASE_REPLICA_LAG_SECONDS = 0  # the course's publication is not "just now" here
    course = published_course(admin=admin)

    with queries_on(REPLICA) as replica, queries_on("default") as primary:
        listing = client.get("/courses/")

    assert listing.status_code == 200
    assert course.title in listing.content.decode()
    assert len(replica) > 0
    assert not any("catalog_coursepage" in query["sql"] for query in primary.captured_queries)


def test_pages_rendered_just_after_a_change_read_the_primary(client, admin):
    published_course(admin=admin)  # its publication marks the catalog as changed

    with queries_on(REPLICA) as replica:
        assert client.get("/courses/").status_code == 200

    assert len(replica) == 0


def test_signed_in_pages_read_the_primary(client, admin, student, settings):
    settings.DATABASE_REPLICA_LAG_SECONDS = 0
    published_course(admin=admin)
    client.force_login(student)

    with queries_on(REPLICA) as replica:
        assert client.get("/courses/").status_code == 200

    assert len(replica) == 0


def test_analytics_are_computed_on_the_replica(client_for, admin):
    published_course(admin=admin)

    with queries_on(REPLICA) as replica:
        response = client_for(admin).get("/api/v1/analytics/admin/")

    assert response.status_code == 200
    assert len(replica) > 0


def test_a_read_after_a_write_in_the_same_request_stays_on_the_primary(student):
    def view(request):
        with replica_reads():
            before = User.objects.get(pk=student.pk).first_name
        User.objects.filter(pk=student.pk).update(first_name="Changed")
        with replica_reads():
            after = User.objects.get(pk=student.pk).first_name
        return before, after

    with queries_on(REPLICA) as replica, queries_on("default") as primary:
        before, after = ReplicaRequestMiddleware(view)(RequestFactory().get("/"))

    assert (before, after) == (student.first_name, "Changed")
    assert len(replica) == 1  # the first read only
    assert sum("UPDATE" in query["sql"] for query in primary.captured_queries) == 1
    assert len(primary) == 2


def test_the_next_request_may_read_the_replica_again(student):
    def writing(request):
        User.objects.filter(pk=student.pk).update(first_name="Changed")

    def reading(request):
        with replica_reads():
            return User.objects.get(pk=student.pk).first_name

    ReplicaRequestMiddleware(writing)(RequestFactory().post("/"))
    with queries_on(REPLICA) as replica:
        assert ReplicaRequestMiddleware(reading)(RequestFactory().get("/")) == "Changed"

    assert len(replica) == 1


def test_reads_inside_a_transaction_stay_on_the_primary(student):
    def view(request):
        with transaction.atomic(), replica_reads():
            return User.objects.get(pk=student.pk).first_name

    with queries_on(REPLICA) as replica:
        ReplicaRequestMiddleware(view)(RequestFactory().get("/"))

    assert len(replica) == 0


def test_migrations_and_writes_never_go_to_the_replica():
    assert router.db_for_write(User) == "default"
    assert router.allow_migrate(REPLICA, "lms_site") is False
    assert router.allow_migrate("default", "lms_site") is True
