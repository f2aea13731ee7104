"""The allauth headless operations a client signs in with, merged into the project's schema.

allauth describes its app client in its own specification (served at /_allauth/openapi.json). The
operations below are taken from it as allauth generates it for this configuration, so they follow its
request and response shapes; its components are prefixed to keep them apart from ours. Where that
specification and allauth's behaviour differ, the behaviour wins (see `_as_allauth_behaves`).
"""

import copy
import json
import re

from allauth.account import app_settings as account_settings
from allauth.headless.constants import Flow
from allauth.headless.spec.internal.schema import get_schema
from django.core.serializers.json import DjangoJSONEncoder

PREFIX = "Allauth"
CLIENT = "/_allauth/app/v1/"
TAG = "authentication"
BEARER = [{"JWT": []}]

# (method, path under the app client, operationId, needs the bearer token)
OPERATIONS = [
    ("post", "auth/signup", "auth_signup", False),
    ("post", "auth/email/verify", "auth_email_verify", False),
    ("post", "auth/login", "auth_login", False),
    ("post", "tokens/refresh", "auth_tokens_refresh", False),
    ("delete", "auth/session", "auth_logout", True),
    ("post", "auth/password/request", "auth_password_request", False),
    ("post", "auth/password/reset", "auth_password_reset", False),
    ("post", "account/password/change", "auth_password_change", True),
]

_REF = re.compile(r"^#/components/(\w+)/(\w+)$")


def _walk_refs(node, visit):
    """Call `visit(section, name)` for each component reference; replace it with what visit returns."""
    if isinstance(node, dict):
        if isinstance(ref := node.get("$ref"), str) and (match := _REF.match(ref)):
            node["$ref"] = visit(*match.groups())
        for value in node.values():
            _walk_refs(value, visit)
    elif isinstance(node, list):
        for value in node:
            _walk_refs(value, visit)


def _as_allauth_behaves(spec: dict) -> None:
    """allauth 65, as configured here, answers what its specification leaves open or out."""
    components = spec["components"]
    # One login method (ACCOUNT_LOGIN_METHODS): the login body names it instead of offering three.
    if len(methods := account_settings.LOGIN_METHODS) == 1:
        method = str(getattr(*methods, "value", *methods))  # allauth's LoginMethod, or a plain name
        components["schemas"]["Login"] = {
            "type": "object",
            "properties": {
                method: {"$ref": f"#/components/schemas/{method.capitalize()}"},
                "password": {"$ref": "#/components/schemas/Password"},
            },
            "required": [method, "password"],
        }
    # Every flow allauth names in its answers (the specification lists fewer: a client parsing the
    # sign-up answer, which lists `password_reset_by_code`, would fail).
    components["schemas"]["Flow"]["properties"]["id"]["enum"] = [flow.value for flow in Flow]
    components["schemas"]["BaseAuthenticationMeta"]["properties"]["refresh_token"] = {
        "type": "string",
        "description": "The refresh token (`app` clients with JWT tokens), for `POST tokens/refresh`.",
    }
    paths = spec["paths"]
    # A changed password keeps the session: the answer is the authenticated state.
    paths[f"{CLIENT}account/password/change"]["post"]["responses"]["200"] = {
        "$ref": "#/components/responses/Authenticated"
    }
    # Resetting by code continues the flow `password/request` began: its session token is needed.
    paths[f"{CLIENT}auth/password/reset"]["post"].setdefault("parameters", []).append(
        {"$ref": "#/components/parameters/SessionToken"}
    )


def allauth_specification() -> dict:
    """allauth's specification as plain data: it holds the sign-up form's translated (lazy) help texts,
    which allauth's own writer (`json.dumps`) cannot write."""
    return json.loads(json.dumps(get_schema(), cls=DjangoJSONEncoder))


def merge_allauth_app_client(result, generator, request, public):
    spec = allauth_specification()
    _as_allauth_behaves(spec)
    operations = {}
    for method, path, operation_id, needs_bearer in OPERATIONS:
        operation = copy.deepcopy(spec["paths"][CLIENT + path][method])
        operation.update(operationId=operation_id, tags=[TAG])
        if needs_bearer:
            operation["security"] = BEARER
        operations.setdefault(CLIENT + path, {})[method] = operation

    wanted, pending = set(), []

    def rename(section, name):
        if (section, name) not in wanted:
            wanted.add((section, name))
            pending.append((section, name))
        return f"#/components/{section}/{PREFIX}{name}"

    _walk_refs(operations, rename)
    components = result.setdefault("components", {})
    while pending:
        section, name = pending.pop()
        component = copy.deepcopy(spec["components"][section][name])
        _walk_refs(component, rename)
        components.setdefault(section, {})[PREFIX + name] = component
    result["paths"].update(operations)
    return result
