"""drf-spectacular hooks: document only our API, and document it as clients receive it.

Generated clients are the measure: every body has a named component (each success envelope is
named after its payload, the error envelope's parts are components of their own), every status an
operation answers is listed with its body, each enum is one component, and the allauth headless
endpoints a client signs in with are part of the same document.
"""

import copy

from django.conf import settings

from lms_site.errors import ErrorCode

SCHEMAS = "#/components/schemas/"


def _ref(name: str) -> dict:
    return {"$ref": SCHEMAS + name}


def _nullable_ref(name: str) -> dict:
    """OpenAPI 3.0's nullable reference: `nullable` is ignored beside a bare `$ref`."""
    return {"allOf": [_ref(name)], "nullable": True}


ERROR_COMPONENTS = {
    "ErrorCode": {
        "type": "string",
        "enum": ErrorCode.values,
        "description": "\n".join(f"* `{code}`: {label}" for code, label in ErrorCode.choices),
    },
    "ErrorDetails": {
        "type": "object",
        "additionalProperties": True,
        "description": "`validation_error`: each field's name -> its messages (`non_field_errors` for the "
        "body as a whole); `throttled`: `wait`, the seconds to wait; otherwise empty.",
    },
    "EnvelopeError": {
        "type": "object",
        "properties": {"code": _ref("ErrorCode"), "details": _ref("ErrorDetails")},
        "required": ["code", "details"],
    },
    "ErrorEnvelope": {
        "type": "object",
        "description": "The body of every error answer under /api/v1/.",
        "properties": {
            "success": {"type": "boolean", "enum": [False]},
            "message": {"type": "string"},
            "data": {"nullable": True, "description": "Always null."},
            "error": _ref("EnvelopeError"),
        },
        "required": ["success", "message", "data", "error"],
    },
}


def _envelope(data_schema: dict) -> dict:
    return {
        "type": "object",
        "properties": {
            "success": {"type": "boolean"},
            "message": {"type": "string", "description": "A human-readable summary; may be empty."},
            "data": data_schema,
            "error": _nullable_ref("EnvelopeError"),
        },
        "required": ["success", "message", "data", "error"],
    }


def only_project_endpoints(endpoints, **kwargs):
    """Wagtail's admin API also lives in the URLconf; clients only see /api/v1/."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


def _operations(result):
    for path, path_item in result.get("paths", {}).items():
        for method, operation in path_item.items():
            yield path, method, operation


def enums_as_components(result, generator, request, public):
    """A query parameter with the same choices as a component enum refers to it instead of repeating it."""
    schemas = result.get("components", {}).get("schemas", {})
    by_values = {
        frozenset(schema["enum"]): name
        for name, schema in schemas.items()
        if "enum" in schema and None not in schema["enum"]
    }
    for _path, _method, operation in _operations(result):
        for parameter in operation.get("parameters", []):
            values = parameter.get("schema", {}).get("enum")
            if values and (name := by_values.get(frozenset(values))):
                parameter["schema"] = _ref(name)
    return result


def _envelope_name(schema: dict, operation_id: str) -> str:
    if list(schema) == ["$ref"]:
        return schema["$ref"].removeprefix(SCHEMAS) + "Envelope"
    return "".join(part.capitalize() for part in operation_id.split("_")) + "Envelope"


def wrap_in_envelope(result, generator, request, public):
    """Every documented success body becomes a named `<Payload>Envelope` {success, message, data, error}."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(copy.deepcopy(ERROR_COMPONENTS))
    for _path, _method, operation in _operations(result):
        for code, response in operation.get("responses", {}).items():
            content = response.get("content", {}).get("application/json")
            if content is None or code == "204" or not code.startswith("2"):
                continue
            name = _envelope_name(content.get("schema", {}), operation["operationId"])
            schemas.setdefault(name, _envelope(content.get("schema", {})))
            content["schema"] = _ref(name)
    return result


# What any operation may answer besides its own refusals.
COMMON_ERRORS = {
    "401": "`not_authenticated`: no credentials where they are needed; `authentication_failed`: a bad or "
    "expired token.",
    "403": "`permission_denied`: signed in, but not allowed.",
    "406": "`not_acceptable`: the `Accept` header allows no JSON.",
    "429": "`throttled`: too many requests; retry after the `Retry-After` header's seconds.",
    "503": "`service_unavailable`: a service the answer needs is down; retry later.",
}
INPUT_ERROR = "`validation_error`: `error.details` names each field and what is wrong."
NOT_FOUND = "`not_found`: there is no such object, or it is not one you may see."
BODY_ERRORS = {
    "413": "`payload_too_large`: the body is larger than the server takes.",
    "415": "`unsupported_media_type`: the body is not in the content type documented here.",
}


def document_errors(result, generator, request, public):
    """Every error an operation can answer, as the error envelope the API sends for it.

    The views declare their particular refusals (with their descriptions); this adds the ones every
    operation shares and gives every 4xx and 5xx its body's schema.
    """
    body = {"application/json": {"schema": _ref("ErrorEnvelope")}}
    for path, _method, operation in _operations(result):
        errors = dict(COMMON_ERRORS)
        if operation.get("parameters") or "requestBody" in operation:
            errors["400"] = INPUT_ERROR
        if "requestBody" in operation:
            errors.update(BODY_ERRORS)
        paged = any(parameter.get("name") == "page" for parameter in operation.get("parameters", []))
        if "{" in path or paged:
            errors["404"] = NOT_FOUND  # no such object, or a page of a list past its end
        responses = operation.setdefault("responses", {})
        for code, description in errors.items():
            responses.setdefault(code, {"description": description})
        for code, response in responses.items():
            if code[0] in "45":
                response["content"] = body
        operation["responses"] = dict(sorted(responses.items()))
    return result


def describe_service(result, generator, request, public):
    """Where the API lives and whom to ask, from SITE_URL as it is when the schema is generated."""
    site = settings.SITE_URL.rstrip("/")
    result["servers"] = [{"url": site, "description": settings.WAGTAIL_SITE_NAME}]
    result["info"]["contact"] = {"name": settings.WAGTAIL_SITE_NAME, "url": site + "/"}
    return result


def _references(node, found: set[str]) -> set[str]:
    if isinstance(node, dict):
        ref = node.get("$ref", "")
        if ref.startswith(SCHEMAS):
            found.add(ref.removeprefix(SCHEMAS))
        for value in node.values():
            _references(value, found)
    elif isinstance(node, list):
        for value in node:
            _references(value, found)
    return found


def drop_unused_components(result, generator, request, public):
    """Components nothing refers to (drf-spectacular keeps some, e.g. request forms of read-only nesting)."""
    components = result.get("components", {})
    schemas = components.get("schemas", {})
    outside = {key: value for key, value in result.items() if key != "components"}
    used = _references(outside, set()) | _references(
        {key: value for key, value in components.items() if key != "schemas"}, set()
    )
    pending = list(used)
    while pending:
        for name in _references(schemas.get(pending.pop(), {}), set()) - used:
            used.add(name)
            pending.append(name)
    components["schemas"] = {name: schema for name, schema in schemas.items() if name in used}
    return result
