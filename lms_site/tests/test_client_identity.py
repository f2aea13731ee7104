"""Who a client is for the rate limits, behind any number of proxies (docs/security.md, API4).

One setting, TRUSTED_PROXY_COUNT (ALLAUTH_TRUSTED_PROXY_COUNT): 0 trusts only the socket address, N the
N-th address from the right of X-Forwarded-For, the one the proxy in front of the app appended. DRF's
throttles and allauth's rate limits decide it with one function, so both count the same client.
"""

import pytest
from allauth.core.internal.ratelimit import get_ip
from django.urls import reverse
from rest_framework.request import Request
from rest_framework.test import APIClient, APIRequestFactory

from lms_site.api.throttling import AnonRateThrottle

from . import headless
from .factories import StudentFactory

pytestmark = pytest.mark.django_db

COURSES = reverse("api:course-list")
PROXY = "10.0.0.1"


@pytest.fixture
def two_api_requests_a_minute(monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "rate", "2/min", raising=False)


@pytest.fixture
def two_logins_a_minute(settings):
    settings.ACCOUNT_RATE_LIMITS = {"login": "2/m/ip"}


@pytest.fixture
def behind_one_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1


def client_from(forwarded_for: str) -> APIClient:
    """A caller reaching the app from PROXY's socket, with this X-Forwarded-For."""
    return APIClient(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)


def api_call(forwarded_for: str) -> int:
    return client_from(forwarded_for).get(COURSES).status_code


def login(forwarded_for: str) -> int:
    return headless.login(client_from(forwarded_for), email=StudentFactory().email).status_code


def test_forged_forwarded_for_gets_no_fresh_api_budget(two_api_requests_a_minute):
    assert [api_call("198.51.100.1"), api_call("198.51.100.2")] == [200, 200]

    assert api_call("198.51.100.3") == 429


def test_forged_forwarded_for_gets_no_fresh_login_budget(two_logins_a_minute):
    assert [login("198.51.100.1"), login("198.51.100.2")] == [200, 200]

    assert login("198.51.100.3") == 429


def test_behind_one_proxy_the_address_it_appended_counts_for_the_api(
    behind_one_proxy, two_api_requests_a_minute
):
    """Whatever the client wrote before the proxy's entry is ignored; the proxy's entry is the client."""
    assert [api_call("forged-1, 203.0.113.7"), api_call("forged-2, 203.0.113.7")] == [200, 200]

    assert api_call("forged-3, 203.0.113.7") == 429
    assert api_call("203.0.113.8") == 200  # another client behind the same proxy


def test_behind_one_proxy_the_address_it_appended_counts_for_logins(behind_one_proxy, two_logins_a_minute):
    assert [login("forged-1, 203.0.113.7"), login("forged-2, 203.0.113.7")] == [200, 200]

    assert login("forged-3, 203.0.113.7") == 429
    assert login("203.0.113.8") == 200


@pytest.mark.parametrize(
    ("proxies", "remote_addr", "forwarded_for", "client"),
    [
        (0, "192.0.2.10", None, "192.0.2.10"),
        (0, "192.0.2.10", "198.51.100.1", "192.0.2.10"),
        (1, PROXY, "198.51.100.1, 203.0.113.7", "203.0.113.7"),
        (2, PROXY, "198.51.100.1, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
        (1, PROXY, None, PROXY),
        # allauth counts an IPv6 client by its /64 network; DRF alone would count each address.
        (1, PROXY, "2001:db8::1", "2001:db8::"),
    ],
)
def test_drf_and_allauth_see_the_same_client(settings, proxies, remote_addr, forwarded_for, client):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = proxies
    headers = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for else {}
    request = APIRequestFactory().get(COURSES, REMOTE_ADDR=remote_addr, **headers)

    assert AnonRateThrottle().get_ident(Request(request)) == get_ip(request) == client
