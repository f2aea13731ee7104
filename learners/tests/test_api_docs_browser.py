"""The API documentation in a real browser: it renders under its Content-Security-Policy and loads
nothing from outside the site (the `people` fixture fails the test on any violation or such request)."""

import re

import pytest
from playwright.sync_api import expect

# ReDoc's bundle always draws an attribution logo from Redocly's CDN. The policy refuses it, so the
# browser never fetches it, and ReDoc drops the image when it fails to load.
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("migrated_rows_restored"),
]


def refused(url):
    """Chromium's console line for a load the policy blocked."""
    return lambda message: url in message.text and "blocked" in message.text


def test_swagger_ui_lists_the_operations(people):
    page = people["developer"]
    page.goto("/api/docs/")

    expect(page.get_by_role("heading", name=re.compile("Learning Platform API"))).to_be_visible()
    expect(page.locator(".opblock").first).to_be_visible()


@pytest.mark.parametrize(
    ("path", "title"),
    [("/api/redoc/", "Learning Platform API"), ("/_allauth/openapi.html", "allauth")],
)
def test_redoc_renders_the_reference_in_the_sites_fonts(people, path, title):
    page = people["developer"]
    people.known_refusals.append(REDOC_LOGO)

    with page.expect_console_message(refused(REDOC_LOGO)):
        page.goto(path)

    expect(page.get_by_role("heading", level=1).first).to_contain_text(title)
    assert page.evaluate("document.fonts.load('16px Montserrat')")  # the site's copy of ReDoc's font
