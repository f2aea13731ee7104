"""Refuse malformed requests before any middleware or view reads them.

PostgreSQL refuses a NUL character in text, and psycopg2 raises ValueError for a query parameter
holding one: a NUL in the path, the query string, a header or a cookie would reach lookups (page
routing, sessions, filters, admin search) as a 500. Form fields and JSON strings are refused by
Django's and DRF's own null-character validators on every text field.

JSON parsers recurse: a body nested deeply enough raises RecursionError, which neither DRF's parser
nor allauth's headless views catch. Reading the body here also puts every such body under
DATA_UPLOAD_MAX_MEMORY_SIZE (a 413, lms_site.views.bad_request).

Staff screens take object ids from the query or the form and hand them straight to a query (the admin's
bulk actions, Wagtail's bulk actions): an id that is not one of the model's keys would fail there as a
500, so such ids are refused once the view, and with it the model, is known.
"""

import json
from urllib.parse import unquote_to_bytes

from django.apps import apps
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import BadRequest, ValidationError
from django.utils.translation import gettext as _

from .views import invalid_input

NUL = "\x00"
# Bodies that are forms are parsed by Django, field by field; any other body may be read as JSON
# (allauth's headless views parse JSON whatever the content type says).
FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


class RefuseMalformedRequestsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            return invalid_input(request, _("The request contains a null character."))
        if _nests_too_deeply(request):
            return invalid_input(request, _("The JSON body is nested too deeply."))
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (model_admin := getattr(view_func, "model_admin", None)) and request.method == "POST":
            _check_ids(model_admin.model, request.POST.getlist(ACTION_CHECKBOX_NAME))
        elif request.resolver_match.url_name == "wagtail_bulk_action":
            try:
                model = apps.get_model(view_kwargs["app_label"], view_kwargs["model_name"])
            except LookupError:
                return None  # the view answers 404
            _check_ids(model, [value for value in request.GET.getlist("id") if value != "all"])
        return None


def _check_ids(model, values: list[str]) -> None:
    try:
        for value in values:
            model._meta.pk.to_python(value)
    except ValidationError as error:
        raise BadRequest(_("Some of the selected items are not valid.")) from error


def _has_nul(request) -> bool:
    if NUL in request.path or b"\x00" in unquote_to_bytes(request.META.get("QUERY_STRING", "")):
        return True
    headers = (value for key, value in request.META.items() if key.startswith("HTTP_"))
    if any(NUL in value for value in headers) or NUL in request.META.get("CONTENT_TYPE", ""):
        return True
    # Cookie values may spell a NUL as an escape ("\000") that parsing decodes.
    return any(NUL in name or NUL in value for name, value in request.COOKIES.items())


def _nests_too_deeply(request) -> bool:
    if not request.META.get("CONTENT_LENGTH") or request.content_type in FORM_TYPES:
        return False
    try:
        json.loads(request.body)
    except RecursionError:
        return True
    except ValueError:
        pass  # not JSON, or malformed: whoever reads the body says so
    return False
