from urllib.parse import urlsplit, urlunsplit

from rest_framework import pagination

from lms_site.links import absolute_url


class PageNumberPagination(pagination.PageNumberPagination):
    """Links to the next and previous pages on SITE_URL, like every other absolute link in an answer."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_next_link(self):
        return _on_site(super().get_next_link())

    def get_previous_link(self):
        return _on_site(super().get_previous_link())


def _on_site(link: str | None) -> str | None:
    if link is None:
        return None
    _scheme, _host, path, query, fragment = urlsplit(link)
    return absolute_url(urlunsplit(("", "", path, query, fragment)))
