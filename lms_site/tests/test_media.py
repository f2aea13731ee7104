"""Uploads in development: everything under MEDIA_URL but course files, which only Wagtail's view serves."""

import importlib

import pytest
from django.urls import clear_url_caches

import config.urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    for name in ("documents/slides.pdf", "submissions/x1/essay.pdf", "original_images/photo.png"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"content")
    return tmp_path


@pytest.fixture
def development_urls(settings):
    """config.urls as `make run` builds it (DEBUG on), then as before."""
    settings.DEBUG = True
    importlib.reload(config.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(config.urls)
    clear_url_caches()


def test_development_server_serves_uploads(client, media, development_urls):
    assert client.get("/media/original_images/photo.png").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "documents/slides.pdf",
        "./documents/slides.pdf",
        "original_images/../documents/slides.pdf",
        "submissions/x1/essay.pdf",
        "Submissions/x1/essay.pdf",
    ],
)
def test_development_server_never_serves_course_files_as_media(path, client, media, development_urls):
    assert client.get(f"/media/{path}").status_code == 404


def test_without_debug_the_site_serves_no_uploads(client, media):
    assert client.get("/media/documents/slides.pdf").status_code == 404
    assert client.get("/media/original_images/photo.png").status_code == 404
