"""Absolute links for what leaves the site (API answers, emails, PDFs): one base, SITE_URL."""

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(path_or_url: str) -> str:
    """SITE_URL + path; a URL that names its own host already (a file on S3 or a CDN) stays as it is."""
    if urlsplit(path_or_url).netloc:
        return path_or_url
    return settings.SITE_URL.rstrip("/") + path_or_url
