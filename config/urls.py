from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from lms_site import health, views

READ_ONLY = ["get", "head"]

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("readyz", health.readyz, name="readyz"),
    # One login for the whole site, with allauth's rate limits and verification rules.
    path("admin/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path("admin/", admin.site.urls),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("_allauth/", include("lms_site.allauth_urls")),
    path("api/v1/", include("config.api_router")),
    # Read-only pages (DRF's OPTIONS answer would be rendered with the docs' HTML template, which has none)
    # that load only files of the site (their Content-Security-Policy allows no more).
    path("api/schema/", SpectacularAPIView.as_view(http_method_names=READ_ONLY), name="schema"),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="schema", template_name="api_docs/swagger_ui.html", http_method_names=READ_ONLY
        ),
        name="api-docs",
    ),
    path(
        "api/redoc/",
        SpectacularRedocView.as_view(
            url_name="schema", template_name="api_docs/redoc.html", http_method_names=READ_ONLY
        ),
        name="api-redoc",
    ),
    re_path(r"^api/", views.api_not_found),
    path("", include("lms_site.urls")),
    path("", include("learners.urls")),
]

if settings.DEBUG:
    from lms_site.media import serve_public_media

    urlpatterns.append(re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$", serve_public_media))

# Wagtail's catch-all serves the page tree; it must stay last.
urlpatterns.append(path("", include(wagtail_urls)))

handler400 = "lms_site.views.bad_request"
handler403 = "lms_site.views.permission_denied"
handler404 = "lms_site.views.page_not_found"
handler500 = "lms_site.views.server_error"
