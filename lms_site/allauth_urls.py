"""allauth's headless API (`/_allauth/`) as the project serves it.

Features the project turns off in settings are not routed by allauth (social accounts, login by code,
MFA until it is installed). Phone numbers are routed whatever the settings say (only
SOCIALACCOUNT_ONLY drops them), so their endpoints are left out here unless phone numbers are a login
method or a sign-up field.

allauth's REST views read and validate the body before Django's dispatch refuses a method a view does
not implement, so such a request could reach code written for another method (the phone view then
failed with a 500). Every view here answers 405 to those methods before anything else runs.

allauth writes its specification with `json.dumps`, which cannot write the translated help texts of
the sign-up form's fields (lazy strings); the specification here is written with Django's encoder.
"""

import json
from functools import wraps

import yaml
from allauth.account import app_settings as account_settings
from allauth.headless import urls as headless_urls
from allauth.headless.spec.views import OpenAPIJSONView, OpenAPIYAMLView
from django.http import HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern, URLResolver

from lms_site.api.auth_schema import allauth_specification

PHONE_VIEWS = {"manage_phone", "verify_phone", "resend_phone_verification_code"}


def _phone_in_use() -> bool:
    return "phone" in account_settings.LOGIN_METHODS or "phone" in account_settings.SIGNUP_FIELDS


def _allowed_methods(view_class) -> list[str]:
    """The methods a class-based view implements, as Django's own 405 lists them (HEAD with GET)."""
    methods = [method.upper() for method in view_class.http_method_names if hasattr(view_class, method)]
    return [*methods, "HEAD"] if "GET" in methods and "HEAD" not in methods else methods


class SpecificationJSONView(OpenAPIJSONView):
    def get(self, request):
        return HttpResponse(
            json.dumps(allauth_specification()),
            content_type="application/vnd.oai.openapi+json",
            headers={"Content-Disposition": "inline; filename=allauth-openapi.json"},
        )


class SpecificationYAMLView(OpenAPIYAMLView):
    def get(self, request):
        return HttpResponse(
            yaml.safe_dump(allauth_specification()),
            content_type="application/vnd.oai.openapi",
            headers={"Content-Disposition": "inline; filename=allauth-openapi.yaml"},
        )


SPECIFICATION_VIEWS = {"openapi_json": SpecificationJSONView, "openapi_yaml": SpecificationYAMLView}


def _refusing_other_methods(view):
    if not hasattr(view, "view_class"):
        return view  # a function view answers every method itself
    allowed = _allowed_methods(view.view_class)

    @wraps(view)
    def checked(request, *args, **kwargs):
        if request.method not in allowed:
            return HttpResponseNotAllowed(allowed)
        return view(request, *args, **kwargs)

    return checked


def _served(patterns, left_out: set[str]) -> list:
    served = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            served.append(
                URLResolver(
                    entry.pattern,
                    _served(entry.url_patterns, left_out),
                    entry.default_kwargs,
                    entry.app_name,
                    entry.namespace,
                )
            )
        elif entry.name not in left_out:
            view = entry.callback
            if entry.name in SPECIFICATION_VIEWS:
                view = SPECIFICATION_VIEWS[entry.name].as_view()
            served.append(
                URLPattern(entry.pattern, _refusing_other_methods(view), entry.default_args, entry.name)
            )
    return served


app_name = headless_urls.app_name
urlpatterns = _served(headless_urls.urlpatterns, left_out=set() if _phone_in_use() else PHONE_VIEWS)
