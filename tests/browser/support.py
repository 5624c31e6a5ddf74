"""Helpers for the browser tests: logging in through the form and reading Leaflet maps."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.conftest import PASSWORD

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# The stroke colour map.js gives the kommun boundary (STYLE.kommun).
KOMMUN_STROKE = "#12324f"


def log_in(page: Any, email: str, password: str = PASSWORD) -> Any:
    """Log in through the real login form and wait until the start page has loaded."""
    page.goto("/logga-in/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(lambda url: "/logga-in/" not in url)
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()
    return page


def map_paths(page: Any, map_selector: str) -> Any:
    """The SVG paths Leaflet has drawn in the overlay pane of one map."""
    return page.locator(f"{map_selector} .leaflet-overlay-pane svg path")


def wait_for_map(page: Any, map_selector: str, min_paths: int = 1) -> Any:
    """Wait until the map has drawn at least ``min_paths`` SVG paths; return the paths."""
    page.wait_for_function(
        """([sel, n]) => document.querySelectorAll(
               sel + ' .leaflet-overlay-pane svg path').length >= n""",
        arg=[map_selector, min_paths],
    )
    return map_paths(page, map_selector)


def kommun_path(page: Any, map_selector: str) -> Any:
    """The path of the kommun boundary (drawn in the kommun stroke colour)."""
    return page.locator(f'{map_selector} .leaflet-overlay-pane svg path[stroke="{KOMMUN_STROKE}"]')


def map_content_box(page: Any, map_id: str) -> dict[str, float]:
    """The box inside a map's border in page pixels: where Leaflet's container point (0, 0) is."""
    return page.evaluate(
        """id => {
             const el = document.getElementById(id);
             const r = el.getBoundingClientRect();
             return {x: r.left + el.clientLeft, y: r.top + el.clientTop,
                     width: el.clientWidth, height: el.clientHeight};
           }""",
        map_id,
    )


def container_points(page: Any, map_id: str, lonlats: list[Any]) -> list[tuple[float, float]]:
    """Project [lon, lat] pairs to container pixels with the map's current view."""
    points = page.evaluate(
        """([id, lonlats]) => {
             const map = document.getElementById(id)._samtryggMap;
             return lonlats.map(([lon, lat]) => {
               const p = map.latLngToContainerPoint([lat, lon]);
               return [p.x, p.y];
             });
           }""",
        [map_id, [list(p) for p in lonlats]],
    )
    return [(x, y) for x, y in points]
