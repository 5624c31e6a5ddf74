"""The pages in a real browser: login, overview map, partnership switch, drawing a delområde,
errors shown in Swedish, role-dependent navigation and keyboard access."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from playwright.sync_api import expect
from shapely.geometry import shape

from tests.browser.support import (
    container_points,
    kommun_path,
    map_content_box,
    map_paths,
    wait_for_map,
)
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_overview_shows_partnership_and_kommun_on_the_map(page: Any, login: Any, orsa: Any) -> None:
    login(page, orsa.user("samordnare"))

    expect(page).to_have_title(f"{orsa.partnership.name} – Samtrygg")
    expect(page.get_by_role("heading", level=1)).to_have_text(orsa.partnership.name)
    expect(page.locator(".topbar .current-partnership")).to_have_text(orsa.partnership.name)
    expect(page.locator(".lead")).to_contain_text("Orsa kommun")

    paths = wait_for_map(page, "#overview-map", min_paths=2)
    expect(paths).to_have_count(2)  # the kommun and the one delområde
    boundary = kommun_path(page, "#overview-map")
    expect(boundary).to_have_count(1)
    assert page.evaluate("typeof L === 'object' && typeof L.PM === 'object'")
    # The overview is fitted to the delområden (with margin), the kommun drawn around them:
    # the one delområde lies wholly inside the map, and the kommun reaches beyond it.
    map_box = page.locator("#overview-map").bounding_box()
    area_box = paths.nth(1).bounding_box()
    box = boundary.bounding_box()
    assert box is not None and map_box is not None and area_box is not None
    assert area_box["y"] >= map_box["y"] - 1
    assert area_box["y"] + area_box["height"] <= map_box["y"] + map_box["height"] + 1
    assert area_box["height"] > 0.5 * map_box["height"]
    assert box["height"] > map_box["height"]


def test_switch_partnership_with_the_top_bar_select(
    page: Any, login: Any, orsa: Any, gislaved: Any
) -> None:
    from django.contrib.auth import get_user_model

    from samtrygg.core import services
    from samtrygg.core.dataio import system_actor

    user = get_user_model().objects.create_user(
        username="bada@test.example", email="bada@test.example", password=PASSWORD
    )
    for tenant, role in ((orsa, "samordnare"), (gislaved, "analytiker")):
        services.add_membership(
            system_actor(tenant.partnership), user=user, organisation=tenant.organisation, role=role
        )
    login(page, user)

    heading = page.get_by_role("heading", level=1)
    names = {orsa.partnership.name: orsa, gislaved.partnership.name: gislaved}
    expect(heading).to_have_text(re.compile(f"^(?:{'|'.join(map(re.escape, names))})$"))
    first = names[heading.inner_text()]
    other = gislaved if first is orsa else orsa
    select = page.get_by_label("Samverkan")
    expect(select).to_have_value(str(first.partnership.pk))

    nav = page.get_by_role("navigation", name="Huvudmeny")
    nav.locator("summary", has_text="Mer").click()
    nav.get_by_role("link", name="Delområden").click()
    expect(page.get_by_role("link", name=first.area.name)).to_be_visible()
    expect(page.get_by_role("link", name=other.area.name)).to_have_count(0)

    select.select_option(label=other.partnership.name)
    page.get_by_role("button", name="Byt").click()

    expect(page).to_have_url(re.compile(r"/omraden/$"))  # back where the switch was made
    expect(page.locator(".messages")).to_contain_text(f"Du arbetar nu i {other.partnership.name}")
    expect(page.get_by_label("Samverkan")).to_have_value(str(other.partnership.pk))
    expect(page.get_by_role("link", name=other.area.name)).to_be_visible()
    expect(page.get_by_role("link", name=first.area.name)).to_have_count(0)

    nav.get_by_role("link", name="Översikt").click()
    expect(heading).to_have_text(other.partnership.name)
    expect(page.locator(".lead")).to_contain_text(other.partnership.municipality.name)


def test_draw_a_delomrade_with_the_polygon_tool(page: Any, login: Any, orsa: Any) -> None:
    from samtrygg.core.models import Area

    login(page, orsa.user("samordnare"))
    page.goto("/omraden/")
    wait_for_map(page, "#area-map", min_paths=2)
    expect(map_paths(page, "#area-map")).to_have_count(2)

    draw = page.locator("#area-map .leaflet-pm-icon-polygon")
    expect(draw).to_be_visible()
    draw.click()
    expect(
        page.locator("#area-map .leaflet-pm-toolbar .active .leaflet-pm-icon-polygon")
    ).to_have_count(1)

    # Corners 40 px around the centre of the map, which is fitted to the Orsa boundary.
    box = map_content_box(page, "area-map")
    cx, cy = box["width"] / 2, box["height"] / 2
    corners = [(cx - 40, cy - 40), (cx + 40, cy - 40), (cx + 40, cy + 40), (cx - 40, cy + 40)]
    for x, y in [*corners, corners[0]]:
        page.mouse.click(box["x"] + x, box["y"] + y)

    expect(map_paths(page, "#area-map")).to_have_count(3)  # the drawn polygon
    geometry = page.locator("#id_geometry")
    expect(geometry).not_to_have_value("")
    drawn = json.loads(geometry.input_value())
    assert drawn["type"] == "Polygon"
    assert len(drawn["coordinates"][0]) == 5

    page.get_by_label("Namn", exact=True).fill("Ritat i webbläsaren")
    page.get_by_label("Folkmängd (valfritt)").fill("1234")
    page.get_by_role("button", name="Spara delområde").click()

    expect(page.locator(".messages")).to_contain_text("Delområdet Ritat i webbläsaren sparades.")
    row = page.get_by_role("row").filter(has_text="Ritat i webbläsaren")
    expect(row).to_have_count(1)
    expect(row.get_by_role("cell").nth(1)).to_have_text("1234")
    wait_for_map(page, "#area-map", min_paths=3)
    expect(map_paths(page, "#area-map")).to_have_count(3)
    box = map_content_box(page, "area-map")
    page.mouse.move(box["x"] + cx, box["y"] + cy)
    expect(page.locator("#area-map .leaflet-tooltip")).to_have_text("Ritat i webbläsaren")

    area = Area.objects.get(partnership=orsa.partnership, name="Ritat i webbläsaren")
    assert area.population == 1234
    saved = shape(area.geometry)
    assert saved.geom_type == "Polygon"
    # Projected back onto the map, the saved corners are where the mouse clicked.
    ring = list(saved.exterior.coords)
    assert len(ring) == 5
    clicked = container_points(page, "area-map", ring[:4])
    for (x, y), (want_x, want_y) in zip(sorted(clicked), sorted(corners), strict=True):
        assert abs(x - want_x) <= 1 and abs(y - want_y) <= 1, (clicked, corners)
    assert shape(orsa.partnership.municipality.boundary).contains(saved)


def test_self_intersecting_polygon_is_refused_in_swedish(page: Any, login: Any, orsa: Any) -> None:
    from samtrygg.core.models import Area

    login(page, orsa.user("samordnare"))
    page.goto("/omraden/")
    # A ring whose second and fourth edges cross (inside Orsa kommun).
    crossing = {
        "type": "Polygon",
        "coordinates": [
            [[14.60, 61.30], [14.80, 61.42], [14.80, 61.30], [14.62, 61.38], [14.60, 61.30]]
        ],
    }
    page.get_by_label("Namn", exact=True).fill("Fjärilen")
    page.locator("#id_geometry").fill(json.dumps(crossing))
    page.get_by_role("button", name="Spara delområde").click()

    error = page.locator(".messages .error")
    expect(error).to_contain_text("korsar sig själv")
    expect(page.get_by_role("row").filter(has_text="Fjärilen")).to_have_count(0)
    # The form keeps what was typed, so it can be corrected.
    expect(page.get_by_label("Namn", exact=True)).to_have_value("Fjärilen")
    assert not Area.objects.filter(name="Fjärilen").exists()
    assert Area.objects.filter(partnership=orsa.partnership).count() == 1


def test_rapportor_sees_no_members_or_log_and_gets_403(
    page: Any, new_page: Any, login: Any, orsa: Any
) -> None:
    # The samordnare has both links, so their absence below is not a renamed menu.
    coordinator = login(new_page(), orsa.user("samordnare"))
    menu = coordinator.get_by_role("navigation", name="Huvudmeny")
    menu.locator("summary", has_text="Mer").click()
    expect(menu.get_by_role("link", name="Medlemmar", exact=True)).to_be_visible()
    expect(menu.get_by_role("link", name="Logg", exact=True)).to_be_attached()

    login(page, orsa.user("rapportor"))
    nav = page.get_by_role("navigation", name="Huvudmeny")
    nav.locator("summary", has_text="Mer").click()
    expect(nav.get_by_role("link", name="Delområden")).to_be_visible()
    expect(nav.get_by_role("link", name="Medlemmar", exact=True)).to_have_count(0)
    expect(nav.get_by_role("link", name="Logg", exact=True)).to_have_count(0)

    response = page.goto("/logg/")
    assert response is not None and response.status == 403
    expect(page).to_have_title("Ingen behörighet – Samtrygg")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ingen behörighet")
    expect(page.get_by_role("link", name="Till översikten")).to_be_visible()


def test_skip_link_is_first_and_moves_focus_to_main(page: Any, login: Any, orsa: Any) -> None:
    login(page, orsa.user("samordnare"))
    skip = page.get_by_role("link", name="Hoppa till innehållet")
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0  # visible when focused

    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")
