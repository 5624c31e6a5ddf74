"""The README's screenshots, taken from the demo in a real browser.

Run with the rest of the browser tests; it rewrites docs/screenshots/*.png.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.support import kommun_path, log_in, wait_for_map

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SIZE = {"width": 1280, "height": 800}


def _settle(page: Any) -> None:
    """Wait until nothing is loading and the browser has painted."""
    page.wait_for_load_state("networkidle")
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def _save(page: Any, name: str) -> Path:
    """Take the screenshot; replace the README's file only when the picture has changed
    visibly, so that a test run leaves the working tree clean (rendering differs by a few
    pixels from run to run)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    fresh = path.with_suffix(".new.png")
    page.screenshot(path=str(fresh), animations="disabled", caret="hide")
    with Image.open(fresh) as image:
        assert image.size == (SIZE["width"], SIZE["height"])
        changed = not path.exists() or _changed_share(path, image) > 0.002
    if changed:
        fresh.replace(path)
    else:
        fresh.unlink()
    return path


def _changed_share(path: Path, image: Any) -> float:
    """The share of pixels that differ between the stored screenshot and a new one."""
    from PIL import ImageChops

    with Image.open(path) as old:
        if old.size != image.size:
            return 1.0
        diff = ImageChops.difference(old.convert("RGB"), image.convert("RGB")).convert("L")
        histogram = diff.histogram()
    total = image.size[0] * image.size[1]
    return float(1.0 - (histogram[0] + histogram[1] + histogram[2]) / total)


def test_readme_screenshots_of_the_demo(new_page: Any) -> None:
    from samtrygg.core.demo import DEMO_PASSWORD, ORSA, load_demo

    load_demo()
    area_names = [name for name, *_rest in ORSA["areas"]]
    page = new_page(SIZE)
    log_in(page, "samordnare.orsa@demo.example", DEMO_PASSWORD)

    expect(page.get_by_role("heading", level=1)).to_have_text("Samverkan för trygghet i Orsa")
    expect(page.locator(".demo-note")).to_be_visible()
    paths = wait_for_map(page, "#overview-map", min_paths=1 + len(area_names))
    expect(paths).to_have_count(1 + len(area_names))
    expect(kommun_path(page, "#overview-map")).to_have_count(1)
    expect(page.locator("#overview-map .leaflet-marker-icon").first).to_be_visible()
    # From the top: the README shows the header and the menu with the page.
    page.evaluate("() => window.scrollTo(0, 0)")
    _settle(page)
    _save(page, "oversikt.png")

    page.get_by_role("navigation", name="Huvudmeny").locator("summary", has_text="Mer").click()
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Delområden").click()
    paths = wait_for_map(page, "#area-map", min_paths=1 + len(area_names))
    expect(paths).to_have_count(1 + len(area_names))
    expect(page.locator("#area-map .leaflet-pm-icon-polygon")).to_be_visible()
    for name in area_names:
        expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()
    page.evaluate("window.scrollTo(0, 0)")
    _settle(page)
    _save(page, "delomraden.png")
