"""Real browsers for the journey tests: Playwright driving the system Chromium against the live server.

Each person in a journey gets a browser context of their own (own cookies, own session), so a
student, an admin and an instructor can act in turn without logging each other out. A journey
fails on anything a page of the site, /cms/ or /admin/ does against its Content-Security-Policy,
and on any request for something outside the site.

Steps wait for states (Playwright's auto-waiting `expect`), never for a number of seconds; the
timeout is only a deadline for a state that never comes, generous for a busy machine.
"""

import os
import shutil
from collections import OrderedDict
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.servers.basehttp import WSGIServer
from django.db import connections
from django.test.testcases import LiveServerThread, QuietWSGIRequestHandler

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts"
DEADLINE_MS = 60_000
# Chromium's `securitypolicyviolation` event, handed to the test through a binding (not a script of the
# page, which its policy would govern).
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => window.reportViolation(
  `${event.effectiveDirective} refused ${event.blockedURI || "inline code"} on ${event.documentURI}`
));
"""


class People:
    """One browser page per person, opened on first use; remembers whose page loaded last."""

    def __init__(self, browser, base_url):
        self.browser, self.base_url = browser, base_url
        self.pages = OrderedDict()
        self.violations = []  # what the site's pages did against their policy, or fetched from elsewhere
        self.known_refusals = []  # URLs a test expects the policy to refuse (and the browser not to fetch)

    def __getitem__(self, person):
        if person not in self.pages:
            context = self.browser.new_context(base_url=self.base_url, accept_downloads=True)
            context.set_default_timeout(DEADLINE_MS)
            context.expose_function("reportViolation", self._record)
            context.add_init_script(REPORT_VIOLATIONS)
            context.on("console", self._console_violation)
            context.on("request", self._outside_request)
            page = context.new_page()
            page.on("load", lambda _page, person=person: self.pages.move_to_end(person))
            self.pages[person] = page
        return self.pages[person]

    def _record(self, violation):
        if not any(url in violation for url in self.known_refusals):
            self.violations.append(violation)

    def _console_violation(self, message):
        if message.type == "error" and "Content Security Policy" in message.text:
            self._record(message.text)

    def _outside_request(self, request):
        if urlsplit(request.url).scheme in ("http", "https") and not request.url.startswith(self.base_url):
            self._record(f"request for {request.url} from {request.frame.url}")

    def screenshot(self, name):
        """Full-page PNGs of every open page: the one that loaded last as `<name>.png`."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        people = list(self.pages)
        for person, page in self.pages.items():
            filename = f"{name}.png" if person == people[-1] else f"{name}-{person}.png"
            try:
                page.screenshot(path=ARTIFACTS / filename, full_page=True)
            except Exception as error:  # a crashed page must not hide the test's own failure
                print(f"no screenshot {filename}: {error}")  # noqa: T201

    def close(self):
        for page in self.pages.values():
            page.context.close()


class OneRequestAtATime(LiveServerThread):
    """The live server, answering requests one after another.

    On SQLite the test database lives in memory and the server shares the test's one connection;
    Django's threaded server would use it from several threads at once when the browser loads a
    page's assets in parallel (seen: "get() returned more than one Session").
    """

    def _create_server(self, connections_override=None):
        return WSGIServer((self.host, self.port), QuietWSGIRequestHandler, allow_reuse_address=False)


@pytest.fixture
def site_url(transactional_db, settings):
    """The base URL of the site served from this test's database."""
    shared = {
        conn.alias: conn for conn in connections.all() if conn.vendor == "sqlite" and conn.is_in_memory_db()
    }
    for conn in shared.values():
        conn.inc_thread_sharing()
    server = OneRequestAtATime("localhost", StaticFilesHandler, connections_override=shared)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    try:
        if server.error:
            raise server.error
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
        yield f"http://localhost:{server.port}"
    finally:
        server.terminate()
        for conn in shared.values():
            conn.dec_thread_sharing()


@pytest.fixture
def chromium(monkeypatch):
    """The system Chromium under Playwright; skipped without one, except in CI where it must exist."""
    if not CHROMIUM or not Path(CHROMIUM).exists():
        reason = "no Chromium: install Debian's `chromium` or set CHROMIUM to its path"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import expect, sync_playwright

    # Playwright's sync API runs an event loop in this thread, which Django's ORM reads as async code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    expect.set_options(timeout=DEADLINE_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def people(chromium, site_url):
    """`people["student"]` is the student's browser page on the live site; screenshots on failure.

    The journey fails at its end if any page broke its Content-Security-Policy or reached outside the site.
    """
    crowd = People(chromium, site_url)
    yield crowd
    crowd.close()
    assert crowd.violations == [], "\n".join(crowd.violations)
