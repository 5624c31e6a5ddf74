"""The API documentation opens without the internet: Swagger UI comes from the npm lockfile
and is served with the other static files."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_api_docs_render_with_nothing_from_the_internet(
    page: Any, login: Any, orsa: Any, live_server: Any
) -> None:
    outside: list[str] = []

    def only_this_server(route: Any) -> None:
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_this_server)
    login(page, orsa.user("analytiker"))
    page.goto("/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Samtrygg API")
    expect(page.locator(".opblock").first).to_be_visible()
    assert outside == []
