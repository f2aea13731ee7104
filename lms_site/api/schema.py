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
