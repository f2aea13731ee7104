"""Path converters for the URLconf."""

from django.urls import register_converter

# PostgreSQL's integer: rows' keys (Wagtail's pages among them) and the counts and positions stored.
MAX_INTEGER = 2**31 - 1


class IdConverter:
    """A row's id: digits within the database's integer range, so a larger number is a 404, not a
    database error. drf-spectacular documents it through PATH_CONVERTER_OVERRIDES."""

    regex = "[0-9]{1,10}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_INTEGER:
            raise ValueError(value)  # no match: the URL resolves no further
        return number

    def to_url(self, value) -> str:
        return str(value)


def register() -> None:
    register_converter(IdConverter, "id")
