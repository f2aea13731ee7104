"""Fixtures shared by every app's tests."""

import pytest
from rest_framework.test import APIClient

from lms_site.tests.factories import AdminFactory, InstructorFactory, StudentFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit and throttle counters live in the cache; no test inherits another's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def student(db):
    return StudentFactory()


@pytest.fixture
def other_student(db):
    return StudentFactory()


@pytest.fixture
def instructor(db):
    return InstructorFactory()


@pytest.fixture
def admin(db):
    return AdminFactory()


@pytest.fixture
def admin_client(client, admin):
    """The site's client signed in as a role-admin (pytest-django's own uses a bare superuser)."""
    client.force_login(admin)
    return client


@pytest.fixture
def client_for(api_client):
    """An API client authenticated as `user` by the session cookie, as the site's pages are."""

    def make(user):
        client = APIClient()
        client.force_login(user)
        return client

    return make
