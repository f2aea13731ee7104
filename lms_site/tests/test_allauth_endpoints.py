"""Every endpoint of allauth's headless API, as the URLconf routes it, with every method.

The routes are discovered, not listed: a feature turned on later (MFA, say) is swept with the rest.
Anonymously and as a signed-in app client, a method the view implements never answers a server
error, and one it does not implement answers 405.
"""

import re
import uuid

import pytest
from django.urls import Resolver404, URLResolver, get_resolver, resolve
from rest_framework.test import APIClient

from . import headless

pytestmark = pytest.mark.django_db

PREFIX = "_allauth/"
PHONE = "/_allauth/app/v1/account/phone"
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "TRACE"]
# A value each path converter accepts, for routes with parameters.
SAMPLES = {"int": "1", "uuid": str(uuid.UUID(int=1))}


def _routes(patterns, prefix=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, route)
        else:
            yield route, entry


def _path(route: str) -> str:
    """The route with a sample value in each parameter (`<int:pk>`, `<key>`)."""
    return "/" + re.sub(r"<(?:(\w+):)?\w+>", lambda match: SAMPLES.get(match[1], "x"), route)


ENDPOINTS = {
    _path(route): pattern.callback.view_class
    for route, pattern in _routes(get_resolver().url_patterns)
    if route.startswith(PREFIX)
}


def test_the_sweep_finds_allauths_endpoints():
    assert {"/_allauth/app/v1/auth/login", "/_allauth/app/v1/account/email"} <= set(ENDPOINTS)


def test_phone_endpoints_are_not_routed(api_client):
    """The project keeps no phone numbers with allauth; TRACE or PUT there used to answer 500."""
    assert not [path for path in ENDPOINTS if "phone" in path]
    with pytest.raises(Resolver404):
        resolve(PHONE)
    for method in ("PUT", "TRACE"):
        assert api_client.generic(method, PHONE).status_code < 500


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "app-client"])
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("path", ENDPOINTS)
def test_allauth_endpoint_answers_no_server_error(student, path, method, signed_in):
    headers = headless.bearer(headless.login_tokens(APIClient(), student)["access"]) if signed_in else {}
    client = APIClient(raise_request_exception=False)

    response = client.generic(
        method, path, data="" if method == "GET" else "{}", content_type="application/json", headers=headers
    )

    if hasattr(ENDPOINTS[path], method.lower()):
        assert response.status_code < 500, response.content
    else:
        assert response.status_code == 405
