"""Uploads as `make run` serves them in development; production serves none of them itself.

Course documents and handed-in work are private: only views that check who asks serve them (Wagtail's
document view, where catalog decides; learners' submission file view), so their folders
(PRIVATE_MEDIA_FOLDERS, Wagtail's document folder) are never served as plain media, whatever spelling of
the path is asked.
"""

import posixpath

from django.conf import settings
from django.http import Http404
from django.views.static import serve
from wagtail.documents import get_document_model


def private_folders() -> tuple[str, ...]:
    documents = get_document_model()._meta.get_field("file").upload_to.strip("/")
    return tuple(f"{folder.strip('/')}/".lower() for folder in (documents, *settings.PRIVATE_MEDIA_FOLDERS))


def serve_public_media(request, path):
    name = posixpath.normpath(path).lstrip("/")
    if name.lower().startswith(private_folders()):
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT)
