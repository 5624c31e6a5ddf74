"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

Playwright's sync API must not run inside an asyncio loop, and Django refuses database
access from a thread it believes is async; the live server runs in a plain thread, so the
check is switched off for this package.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.browser.support import DESKTOP, PHONE, log_in
from tests.conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 30_000  # generous: CI machines can be loaded


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """Give browser runs a test database file of their own on SQLite.

    The settings put the SQLite test database in var/test.sqlite3; a browser run next to an
    ordinary test run would otherwise create and destroy the same file under it.
    """
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.sqlite3":
        return
    test = db.setdefault("TEST", {})
    name = test.get("NAME")
    if name and name != ":memory:" and not name.startswith("file:"):
        path = Path(name)
        test["NAME"] = str(path.with_name(f"browser-{path.name}"))


def _reference_models() -> list[Any]:
    from samtrygg.core.models import County, Municipality, Population

    return [County, Municipality, Population]  # in the order they must be created


@pytest.fixture(scope="session")
def _reference_rows(django_db_setup: None, django_db_blocker: Any) -> list[tuple[Any, list[Any]]]:
    """The reference data the migration loaded (län, kommuner, population), read once."""
    with django_db_blocker.unblock():
        return [(model, list(model.objects.values())) for model in _reference_models()]


@pytest.fixture(autouse=True)
def _reference_data(transactional_db: None, _reference_rows: list[tuple[Any, list[Any]]]) -> None:
    """Put back the reference data when an earlier browser test's flush removed it.

    A transactional test ends by emptying every table, the migration's data included.
    """
    for model, rows in _reference_rows:
        if not model.objects.exists():
            model.objects.bulk_create(model(**row) for row in rows)


@dataclass
class PageLog:
    """What went wrong in the browser: script errors, console errors, failed sub-requests."""

    page_errors: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return self.page_errors + self.console_errors + self.failed_requests


def _watch(page: Any, log: PageLog) -> None:
    def on_console(message: Any) -> None:
        # A failed load is reported as a response below, with its URL.
        if message.type == "error" and "Failed to load resource" not in message.text:
            log.console_errors.append(f"console: {message.text}")

    def on_response(response: Any) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            log.failed_requests.append(f"{response.status} {response.url}")

    def on_request_failed(request: Any) -> None:
        # The browser cancels what is still loading (a map tile, a marker icon) when the test
        # goes on to the next page: that is net::ERR_ABORTED and says nothing about the page.
        # A missing or broken resource shows as a response of 400 or more above.
        if request.failure != "net::ERR_ABORTED":
            log.failed_requests.append(f"failed {request.url}: {request.failure}")

    page.on("pageerror", lambda error: log.page_errors.append(f"pageerror: {error}"))
    page.on("console", on_console)
    page.on("response", on_response)
    page.on("requestfailed", on_request_failed)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (make browser)")
    # Playwright's sync API keeps an event loop in this thread, while the live server's
    # database work is synchronous: allow that only for the browser tests.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def new_page(browser: Any, live_server: Any) -> Iterator[Callable[..., Any]]:
    """Open a page in a fresh browser context (own cookies) with the given viewport.

    Every page records script errors, console errors and failed sub-requests in
    ``page.log``; the test fails at teardown if any occurred.
    """
    contexts: list[Any] = []
    pages: list[Any] = []

    def open_page(viewport: dict[str, int] | None = None) -> Any:
        context = browser.new_context(
            viewport=viewport or DESKTOP, base_url=live_server.url, locale="sv-SE"
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.log = PageLog()
        _watch(page, page.log)
        pages.append(page)
        return page

    yield open_page
    problems = [problem for page in pages for problem in page.log.problems()]
    for context in contexts:
        context.close()
    if problems:
        pytest.fail("Problems in the browser:\n" + "\n".join(problems))


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    """A desktop-sized page (1280×900)."""
    return new_page(DESKTOP)


@pytest.fixture
def phone_page(new_page: Callable[..., Any]) -> Any:
    """A phone-sized page (390×844)."""
    return new_page(PHONE)


@pytest.fixture
def login() -> Callable[..., Any]:
    """``login(page, user)``: log ``user`` in through the login form on ``page``."""

    def do(page: Any, user: Any, password: str = PASSWORD) -> Any:
        return log_in(page, user.email, password)

    return do
