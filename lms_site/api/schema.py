"""drf-spectacular hooks: document only our API, and document it as clients receive it."""

ENVELOPE_ERROR = {
    "type": "object",
    "nullable": True,
    "properties": {
        "code": {
            "type": "string",
            "enum": [
                "validation_error",
                "not_authenticated",
                "authentication_failed",
                "permission_denied",
                "not_found",
                "method_not_allowed",
                "payment_required",
                "conflict",
                "invalid_transition",
                "already_enrolled",
                "already_reviewed",
                "grade_required",
                "throttled",
                "server_error",
            ],
        },
        "details": {"type": "object", "additionalProperties": True},
    },
    "required": ["code", "details"],
}


def only_project_endpoints(endpoints, **kwargs):
    """Wagtail's admin API also lives in the URLconf; clients only see /api/v1/."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]


def _envelope(data_schema):
    return {
        "type": "object",
        "properties": {
            "success": {"type": "boolean"},
            "message": {"type": "string"},
            "data": data_schema,
            "error": {"$ref": "#/components/schemas/EnvelopeError"},
        },
        "required": ["success", "message", "data", "error"],
    }


def wrap_in_envelope(result, generator, request, public):
    """Every documented JSON response body becomes {success, message, data, error}."""
    result.setdefault("components", {}).setdefault("schemas", {})["EnvelopeError"] = ENVELOPE_ERROR
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            for code, response in operation.get("responses", {}).items():
                content = response.get("content", {}).get("application/json")
                if content is None or code == "204":
                    continue
                content["schema"] = _envelope(content.get("schema", {}))
    return result


ERROR_ENVELOPE = {
    "type": "object",
    "properties": {
        "success": {"type": "boolean", "enum": [False]},
        "message": {"type": "string"},
        "data": {"nullable": True},
        "error": {"$ref": "#/components/schemas/EnvelopeError"},
    },
    "required": ["success", "message", "data", "error"],
}

# What any operation may answer besides its own refusals; 400 and 404 only where there is input or an id.
COMMON_ERRORS = {
    "401": "`not_authenticated`: no credentials where they are needed; `authentication_failed`: a bad or "
    "expired token.",
    "403": "`permission_denied`: signed in, but not allowed.",
    "429": "`throttled`: too many requests; retry after the `Retry-After` header's seconds.",
}
INPUT_ERROR = "`validation_error`: `error.details` names each field and what is wrong."
NOT_FOUND = "`not_found`: there is no such object, or it is not one you may see."


def document_errors(result, generator, request, public):
    """Every error an operation can answer, as the error envelope the API sends for it.

    The views declare their particular refusals (with their descriptions); this adds the ones every
    operation shares and gives every 4xx its body's schema.
    """
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["ErrorEnvelope"] = ERROR_ENVELOPE
    body = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorEnvelope"}}}
    for path, path_item in result.get("paths", {}).items():
        for operation in path_item.values():
            errors = dict(COMMON_ERRORS)
            if operation.get("parameters") or "requestBody" in operation:
                errors["400"] = INPUT_ERROR
            paged = any(parameter["name"] == "page" for parameter in operation.get("parameters", []))
            if "{" in path or paged:
                errors["404"] = NOT_FOUND  # no such object, or a page of a list past its end
            responses = operation.setdefault("responses", {})
            for code, description in errors.items():
                responses.setdefault(code, {"description": description})
            for code, response in responses.items():
                if code.startswith("4"):
                    response["content"] = body
    return result
