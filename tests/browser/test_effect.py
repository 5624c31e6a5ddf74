"""The effect block in a real browser: the samordnare opens the demo's adult presence in a
delområde that calmed down and sees the weekly chart, the rate ratio with its interval in
words, the displacement reading and the wording rules; the action started after a peak
carries the regression-to-the-mean warning; at phone width nothing is wider than the
screen."""

from __future__ import annotations

import io
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.support import PHONE, log_in

pytestmark = pytest.mark.browser


def _demo() -> dict[str, Any]:
    from samtrygg.actions.demo_data import EFFECT_AREAS, load_demo_effect
    from samtrygg.actions.models import Action
    from samtrygg.core.demo import load_demo
    from samtrygg.observations.demo_data import load_demo_observations

    partnerships = load_demo()
    load_demo_observations(partnerships, io.StringIO())
    load_demo_effect(partnerships, io.StringIO())
    calm, peak = EFFECT_AREAS["2034"]
    actions = Action.objects.filter(partnership=partnerships[0], is_demo=True)
    return {"calm": actions.get(area__name=calm), "peak": actions.get(area__name=peak)}


def test_the_samordnare_reads_the_effect_of_adult_presence(new_page: Any) -> None:
    from samtrygg.core.demo import DEMO_PASSWORD

    demo = _demo()
    page = new_page()
    log_in(page, "samordnare.orsa@demo.example", DEMO_PASSWORD)
    page.goto(f"/insatser/{demo['calm'].pk}/")
    block = page.locator(".effect-block")
    expect(block.get_by_role("heading", level=2)).to_contain_text("Fungerade det?")
    expect(block).to_have_attribute("data-effect-status", "ok")
    # the weekly chart, its action weeks shaded, and its table behind a fold
    expect(block.locator(".effect-chart svg")).to_be_visible()
    expect(block.locator(".effect-chart svg")).to_contain_text("Händelser per vecka")
    block.get_by_text("Visa som tabell").click()
    expect(block.locator("table.effect-weeks tbody tr")).to_have_count(24)
    expect(block.locator("table.effect-weeks")).to_contain_text("ja")
    # the rate ratio with its interval, in words, against the rest of the kommun
    rr = block.locator(".effect-rr")
    expect(rr).to_contain_text("Händelserna i Norra Orsa minskade med")
    expect(rr).to_contain_text("(mellan")
    expect(rr).to_contain_text("jämfört med övriga kommunen")
    expect(block.locator(".effect-numbers")).to_contain_text("95 % intervall")
    # the displacement reading, and the wording rules
    expect(block.locator(".effect-wdq")).to_contain_text("Förflyttning:")
    expect(block.locator(".effect-wdq")).to_contain_text("WDQ")
    expect(block.locator(".effect-warning")).to_have_count(0)
    expect(block.locator(".effect-caveat")).to_contain_text("Samband, inte bevis på orsak")
    expect(block.locator(".effect-counts")).to_contain_text("Norra Orsa")

    # the action after a peak warns of regression to the mean
    page.goto(f"/insatser/{demo['peak'].pk}/")
    warning = page.locator(".effect-block .effect-warning")
    expect(warning).to_contain_text("Återgång mot medelvärdet")
    expect(warning).to_contain_text("startade efter en topp")

    # every adult presence in Norra Orsa, from the action's link
    page.goto(f"/insatser/{demo['calm'].pk}/")
    page.locator("#effect-group-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Effekt av insatser")
    expect(page.locator("#effect-actions")).to_contain_text(demo["calm"].title)
    expect(page.locator(".effect-block .effect-rr")).to_contain_text("minskade med")

    phone = new_page(PHONE)
    log_in(phone, "samordnare.orsa@demo.example", DEMO_PASSWORD)
    phone.goto(f"/insatser/{demo['calm'].pk}/")
    expect(phone.locator(".effect-chart svg")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
