from rest_framework.renderers import JSONRenderer


class EnvelopeJSONRenderer(JSONRenderer):
    """Wrap every /api/v1/ body as {success, message, data, error}.

    Errors arrive already enveloped from the exception handler; successful bodies are
    wrapped here. A view may set `response.message` for a human-readable summary.
    """

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is None:
            return super().render(data, accepted_media_type, renderer_context)
        if response.status_code == 204:
            return b""  # HTTP forbids a body here, whatever data the view handed over
        if not getattr(response, "enveloped", False):
            data = {
                "success": response.status_code < 400,
                "message": getattr(response, "message", ""),
                "data": data,
                "error": None,
            }
        return super().render(data, accepted_media_type, renderer_context)
