"""The page map walked in a real browser: every page of the project, as every role, on a
desktop and a 390 px phone. No page may answer 500 or log a JavaScript error."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from tests import tenancy
from tests.browser.support import DESKTOP, PHONE
from tests.test_tenancy import ALL_ROLES_USER_ROLES, _own_pages

pytestmark = pytest.mark.browser

# Not pages: files, map data, actions that only answer a POST, one-time secrets.
NOT_PAGES = (
    "geojson",
    "pdf",
    "xlsx",
    "docx",
    "csv",
    "export",
    "download",
    "template",
    "map-data",
    "points",
    "photo",
    "logout",
    "switch-partnership",
    "accept-invitation",
    "password_reset_confirm",
    "set_language",
)


def page_map(tenant: Any) -> list[str]:
    """Every page's URL, with the tenant's own records for the pages that take an id."""
    urls = []
    for route, name in _own_pages():
        if any(part in name for part in NOT_PAGES):
            continue
        if "<" in route:
            if name not in tenancy.PAGES_WITH_ID:
                continue
            urls.append(reverse(name, kwargs=tenancy.PAGES_WITH_ID[name](tenant)))
        else:
            urls.append(reverse(name))
    return urls


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("role", ALL_ROLES_USER_ROLES)
def test_every_page_opens_without_a_server_or_script_error(
    new_page: Any, login: Any, orsa: Any, role: str, viewport: dict[str, int]
) -> None:
    urls = page_map(orsa)
    assert len(urls) > 25
    page = new_page(viewport)
    login(page, orsa.user(role))
    broken = []
    for url in urls:
        response = page.goto(url)
        assert response is not None
        if response.status >= 500:
            broken.append(f"{response.status} {url}")
        page.wait_for_load_state("load")
    assert broken == []
    # Script and console errors of every page are collected in page.log and fail the test
    # when the page closes (see conftest.new_page).
