"""The main menu fits one row at 1280 and 1024 px and opens as "Meny" on a phone, for every
role, with and without script; the groups "Styrning", "Invånare" and "Mer" open below their
buttons and stay on the screen."""

from __future__ import annotations

import os
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.support import PASSWORD, PHONE

pytestmark = pytest.mark.browser

ROLES = ["samordnare", "kommunpolis", "rapportor", "styrgrupp"]
WIDE = [{"width": 1280, "height": 800}, {"width": 1024, "height": 768}]
# Set to a folder to keep a picture of every state the test passes through.
SHOTS = os.environ.get("SAMTRYGG_MENU_SHOTS", "")


def _shot(page: Any, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"))


def _row(page: Any) -> list[dict[str, float]]:
    """Where each item of the menu row is: the links and the group buttons."""
    return page.evaluate(
        """() => [...document.querySelectorAll('.nav-primary > li > a, '
                 + '.nav-secondary > li > a, .nav-menu-body > details > summary')]
               .map(el => { const r = el.getBoundingClientRect();
                            return {top: r.top, left: r.left, right: r.right}; })"""
    )


@pytest.mark.parametrize("role", ROLES)
def test_the_menu_fits_one_row_on_wide_screens(
    new_page: Any, login: Any, orsa: Any, role: str
) -> None:
    for viewport in WIDE:
        page = new_page(viewport)
        login(page, orsa.user(role))
        nav = page.get_by_role("navigation", name="Huvudmeny")
        row = _row(page)
        assert len(row) >= 5
        assert {item["top"] for item in row} == {row[0]["top"]}, (role, viewport, row)
        assert max(item["right"] for item in row) <= viewport["width"], (role, viewport, row)
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        expect(nav.locator(".nav-menu > summary")).to_be_hidden()
        _shot(page, f"{role}-{viewport['width']}")
        for group in ("Styrning", "Invånare", "Mer"):
            summary = nav.locator("summary", has_text=group)
            if not summary.count():
                continue
            summary.click()
            links = summary.locator("xpath=..").locator("ul")
            expect(links).to_be_visible()
            box = links.bounding_box()
            assert (
                box is not None and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
            )
            _shot(page, f"{role}-{viewport['width']}-{group}")
            page.keyboard.press("Escape")
            expect(links).to_be_hidden()


def test_a_page_behind_a_group_is_marked_on_its_button(page: Any, login: Any, orsa: Any) -> None:
    login(page, orsa.user("samordnare"))
    nav = page.get_by_role("navigation", name="Huvudmeny")
    nav.locator("summary", has_text="Mer").click()
    nav.get_by_role("link", name="Delområden").click()
    expect(page).to_have_url(re.compile(r"/omraden/$"))
    expect(nav.locator('[aria-current="page"]')).to_have_count(1)
    weight = nav.locator("summary", has_text="Mer").evaluate(
        "el => getComputedStyle(el).fontWeight"
    )
    assert int(weight) >= 600
    nav.locator("summary", has_text="Styrning").click()
    nav.get_by_role("link", name="Problem", exact=True).click()
    expect(nav.locator('[aria-current="page"]')).to_have_text("Problem")


@pytest.mark.parametrize("role", ROLES)
def test_the_phone_menu_opens_the_groups(new_page: Any, login: Any, orsa: Any, role: str) -> None:
    page = new_page(PHONE)
    login(page, orsa.user(role))
    nav = page.get_by_role("navigation", name="Huvudmeny")
    expect(nav.get_by_role("link", name="Översikt")).to_be_visible()
    expect(nav.get_by_role("link", name="Delområden")).to_be_hidden()
    nav.locator(".nav-menu > summary").click()
    _shot(page, f"{role}-390-meny")
    nav.locator("summary", has_text="Mer").click()
    _shot(page, f"{role}-390-mer")
    nav.get_by_role("link", name="Delområden").click()
    expect(page).to_have_url(re.compile(r"/omraden/$"))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_menu_works_without_script(browser: Any, live_server: Any, orsa: Any) -> None:
    context = browser.new_context(
        viewport={"width": 1024, "height": 768},
        base_url=live_server.url,
        locale="sv-SE",
        java_script_enabled=False,
    )
    try:
        page = context.new_page()
        page.goto("/logga-in/")
        page.fill("#id_username", orsa.user("kommunpolis").email)
        page.fill("#id_password", PASSWORD)
        page.get_by_role("button", name="Logga in").click()
        nav = page.get_by_role("navigation", name="Huvudmeny")
        nav.locator("summary", has_text="Invånare").click()
        nav.get_by_role("link", name="Tips och faktasvar").click()
        expect(page).to_have_url(re.compile(r"/tips/$"))
        _shot(page, "kommunpolis-1024-noscript")
        expect(nav.locator('[aria-current="page"]')).to_have_text("Tips och faktasvar")
    finally:
        context.close()
