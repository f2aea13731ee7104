"""Uploads as `make run` serves them in development; production serves none of them itself.

Documents are course files: they are served only by Wagtail's document view, where catalog decides who
may read them, so their folder is never served as plain media, whatever spelling of its path is asked.
"""

import posixpath

from django.conf import settings
from django.http import Http404
from django.views.static import serve
from wagtail.documents import get_document_model


def private_folder() -> str:
    return get_document_model()._meta.get_field("file").upload_to.strip("/") + "/"


def serve_public_media(request, path):
    name = posixpath.normpath(path).lstrip("/")
    if name.lower().startswith(private_folder().lower()):
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)
