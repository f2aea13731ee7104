"""Small helpers views share: validate a request body, answer with the envelope's message."""

from rest_framework import status
from rest_framework.response import Response


def validated(serializer_class, data, **kwargs) -> dict:
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def respond(data, *, message: str = "", status_code: int = status.HTTP_200_OK) -> Response:
    """The renderer puts `message` into the envelope."""
    response = Response(data, status=status_code)
    response.message = message
    return response
