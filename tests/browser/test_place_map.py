"""Numbers handed to scripts are never written the Swedish way: the place map is centred on
the place (its coordinates reach the script with decimal points, not commas)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser


def test_the_place_map_is_centred_on_the_place_in_swedish(page: Any, login: Any, orsa: Any) -> None:
    login(page, orsa.user("samordnare"))
    page.goto(f"/platser/{orsa.place.pk}/")
    center = page.locator("#place-detail-map").get_attribute("data-center")
    assert center == f"{orsa.place.lat},{orsa.place.lon}"
    page.wait_for_function(
        "() => { const m = document.getElementById('place-detail-map')._samtryggMap;"
        " return m && m.getZoom() === 15; }"
    )
    lat, lon = page.evaluate(
        "() => { const c = document.getElementById('place-detail-map')._samtryggMap.getCenter();"
        " return [c.lat, c.lng]; }"
    )
    assert abs(lat - orsa.place.lat) < 1e-4 and abs(lon - orsa.place.lon) < 1e-4
