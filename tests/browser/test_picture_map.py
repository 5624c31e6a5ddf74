"""The lägesbild's map agrees with its cards: each delområde is coloured with the level its
card shows and the hot spots the cards count are drawn, on the live page and on a draft; a
bad ``?period=`` falls back to this week on the page and on the map alike."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.situation.data import add_observations, busy_weeks, week_monday

pytestmark = pytest.mark.browser

COLOURS = {"green": "#2e7d32", "yellow": "#f2c200", "orange": "#ef6c00", "red": "#c62828"}


def _hot_week(tenant: Any) -> None:
    """This week: a burst at the tenant's place among single reports spread around it."""
    year, week, _day = dt.date.today().isocalendar()
    busy_weeks(tenant, year, week)
    monday = week_monday(year, week)
    add_observations(
        tenant,
        [monday + dt.timedelta(hours=h) for h in range(30)],
        lat=tenant.place.lat,
        lon=tenant.place.lon,
        seed=7,
    )
    for i in range(-6, 6):
        for j in range(-6, 6):
            lat, lon = tenant.place.lat + 0.003 * i, tenant.place.lon + 0.006 * j
            add_observations(tenant, [monday], lat=lat, lon=lon, seed=8)


def _card_levels(page: Any) -> dict[str, str]:
    levels = {}
    for card in page.locator(".area-card").all():
        name = card.get_attribute("data-area")
        badge = card.locator(".level").first.get_attribute("class") or ""
        levels[name] = next(k for k in COLOURS if f"level-{k}" in badge.split())
    return levels


def _map_colours(page: Any) -> dict[str, str]:
    page.wait_for_selector("#picture-map path[data-area]")
    return {
        path.get_attribute("data-area"): (path.get_attribute("fill") or "").lower()
        for path in page.locator("#picture-map path[data-area]").all()
    }


def _hot_cells_on_cards(page: Any) -> int:
    return sum(int(n) for n in page.locator('.area-card [data-num="hot"]').all_text_contents())


def _assert_map_matches_cards(page: Any) -> None:
    levels = _card_levels(page)
    assert set(levels.values()) - {"green"}, "the test needs a delområde that is not green"
    colours = _map_colours(page)
    assert {name: colours.get(name) for name in levels} == {
        name: COLOURS[key] for name, key in levels.items()
    }
    expect(page.locator("#picture-map")).to_have_attribute("data-points-loaded", "1")
    hot = _hot_cells_on_cards(page)
    assert hot > 0
    assert page.locator("#picture-map path.map-hotspot").count() >= hot


def test_live_and_draft_maps_use_the_cards_levels_and_hot_spots(
    page: Any, login: Any, orsa: Any
) -> None:
    _hot_week(orsa)
    login(page, orsa.user("samordnare"))

    page.goto("/lagesbild/")
    page.wait_for_selector("#picture-map .leaflet-overlay-pane svg path")
    _assert_map_matches_cards(page)

    page.get_by_role("button", name="Ta fram utkast till lägesbild").click()
    page.wait_for_url("**/lagesbild/*/")
    _assert_map_matches_cards(page)


def test_a_bad_period_falls_back_to_this_week_on_the_page_and_the_map(
    page: Any, login: Any, orsa: Any
) -> None:
    year, week, _day = dt.date.today().isocalendar()
    _hot_week(orsa)
    login(page, orsa.user("samordnare"))
    page.goto("/lagesbild/?period=2025-W99")
    expect(page.locator(".messages")).to_contain_text("Okänd period")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"vecka {week} {year}")
    points = page.locator("#picture-map").get_attribute("data-points") or ""
    assert f"period={year}-W{week:02d}" in points and "W99" not in points
    _assert_map_matches_cards(page)
