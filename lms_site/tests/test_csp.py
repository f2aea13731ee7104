"""Content-Security-Policy: strict on the site, what Wagtail, unfold and the API docs need on theirs,
on every HTML response (error pages and redirects too); nothing the pages load comes from elsewhere.
The browser journeys (learners/tests/test_journeys.py) fail on any violation a real Chromium reports."""

import base64
import hashlib
import re

import pytest
from django.conf import settings
from django.template.loader import get_template
from django.test import Client
from django.urls import reverse
from wagtail.embeds.embeds import get_embed_hash, get_finders
from wagtail.embeds.models import Embed
from wagtail.models import Site
from wagtail.rich_text import expand_db_html

from lms_site.csp import HEADER

pytestmark = pytest.mark.django_db

SITE_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
}
OUTSIDE = re.compile(r'<(?:link|script|img|iframe)\b[^>]*\b(?:href|src)="(?:https?:)?//')


def policy(response) -> dict[str, list[str]]:
    """The response's policy as directive -> sources."""
    return {name: sources for name, *sources in (part.split() for part in response[HEADER].split("; "))}


def assert_strict(response):
    """The site's policy: only the site's own files, no inline code, framed by nobody."""
    directives = policy(response)
    assert {name: directives[name] for name in SITE_POLICY} == SITE_POLICY
    assert not any("unsafe" in source for sources in directives.values() for source in sources)


@pytest.mark.parametrize("path", ["/", "/courses/", reverse("account_login"), reverse("account_signup")])
def test_site_pages_carry_the_strict_policy(client, path):
    assert_strict(client.get(path))


def test_signed_in_pages_carry_the_strict_policy(client, student):
    client.force_login(student)

    assert_strict(client.get(reverse("lms_site:profile")))
    assert_strict(client.get(reverse("mfa_index")))


@pytest.mark.parametrize("path", ["/no-such-page/", "/courses/no-such-course/"])
def test_not_found_page_carries_the_strict_policy(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert_strict(response)


def test_csrf_failure_page_carries_the_strict_policy(student):
    client = Client(enforce_csrf_checks=True)
    client.force_login(student)

    response = client.post(reverse("lms_site:become_instructor"), {"motivation": "Teaching."})

    assert response.status_code == 403
    assert_strict(response)


@pytest.mark.urls("lms_site.tests.urls_errors")
def test_server_error_page_carries_the_strict_policy():
    response = Client(raise_request_exception=False).get("/_test/site-crash/")

    assert response.status_code == 500
    assert_strict(response)


def test_server_error_pages_inline_style_is_allowed_by_its_hash():
    """The 500 page styles itself inline, to render whatever else is broken; only that style is let in."""
    style = re.search(r"<style>(.*?)</style>", get_template("500.html").render(), re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()

    assert settings.CONTENT_SECURITY_POLICIES[""]["style-src"] == ["'self'", f"'sha256-{digest}'"]


def test_redirects_carry_the_policy(client):
    response = client.get(reverse("lms_site:profile"))

    assert response.status_code == 302
    assert_strict(response)


def test_policy_middleware_comes_first_so_no_response_escapes_it():
    """A middleware that answers by itself (a cached page, a redirect) still gets the policy."""
    assert settings.MIDDLEWARE[0] == "lms_site.csp.ContentSecurityPolicyMiddleware"


def test_api_responses_carry_the_strict_policy(client):
    assert_strict(client.get("/api/v1/courses/"))


# What Wagtail and unfold need, and no more


def test_cms_lets_wagtails_inline_code_run_and_nothing_else(admin_client):
    directives = policy(admin_client.get("/cms/"))

    assert directives["script-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["style-src"] == ["'self'", "'unsafe-inline'"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]


def test_cms_preview_may_be_framed_by_the_cms_only(admin_client):
    home = Site.objects.get(is_default_site=True).root_page

    response = admin_client.get(reverse("wagtailadmin_pages:preview_on_edit", args=[home.pk]))

    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert policy(response)["frame-ancestors"] == ["'self'"]


def test_admin_panel_lets_alpine_evaluate_but_runs_no_inline_script(admin_client):
    directives = policy(admin_client.get("/admin/"))

    assert directives["script-src"] == ["'self'", "'unsafe-eval'"]
    assert directives["style-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["frame-ancestors"] == ["'none'"]


# The API documentation: its assets are the site's own


@pytest.mark.parametrize("path", ["/api/docs/", "/api/docs/?script", "/api/redoc/", "/_allauth/openapi.html"])
def test_api_documentation_loads_nothing_from_other_sites(client, path):
    response = client.get(path)

    assert response.status_code == 200
    body = response.content.decode()
    assert OUTSIDE.findall(body) == []
    assert "fonts.googleapis.com" not in body
    assert "cdn.jsdelivr.net" not in body


def test_swagger_ui_runs_no_inline_code(client):
    response = client.get("/api/docs/")

    assert re.findall(r"<script>|<style>", response.content.decode()) == []
    assert_strict(response)


@pytest.mark.parametrize("path", ["/api/redoc/", "/_allauth/openapi.html"])
def test_redoc_gets_its_fonts_and_styles_from_the_site(client, path):
    response = client.get(path)

    assert "/static/lms_site/api-docs/redoc.css" in response.content.decode()
    assert policy(response)["font-src"] == ["'self'"]
    assert policy(response)["script-src"] == ["'self'"]


# Rich-text embeds: only the video players the policy lets in


def test_rich_text_embeds_only_youtube_and_vimeo():
    [finder] = get_finders()

    assert finder.accept("https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    assert finder.accept("https://vimeo.com/76979871")
    assert not finder.accept("https://www.dailymotion.com/video/x7tgad0")
    assert not finder.accept("https://twitter.com/wagtail/status/1")


@pytest.mark.parametrize(
    ("url", "player"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube.com/embed/dQw4w9WgXcQ"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871"),
    ],
)
def test_embedded_players_are_allowed_by_the_site_policy(url, player):
    """As each host's oEmbed answers (kept in Wagtail's embed table, so nothing is fetched here)."""
    html = f'<iframe src="{player}"></iframe>'
    Embed.objects.create(url=url, hash=get_embed_hash(url), html=html, type="video")

    html = expand_db_html(f'<embed embedtype="media" url="{url}"/>')

    [src] = re.findall(r'<iframe src="([^"]+)"', html)
    origin = re.match(r"https://[^/]+", src).group()
    assert origin in settings.CONTENT_SECURITY_POLICIES[""]["frame-src"]
