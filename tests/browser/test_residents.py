"""Residents in a real browser: an anonymous resident sends a tip from a phone; the
samordnare makes it a report that the next lägesbild counts; a claim is recorded, checked,
answered, approved by the kommunpolis and shown on the public page with its chart."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("RESIDENTS_SHOTS", "")


def _shot(page: Any, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_tip_to_report_and_claim_to_public_answer(
    page: Any, phone_page: Any, new_page: Any, login: Any, orsa: Any, settings: Any
) -> None:
    from samtrygg.observations.models import Observation
    from samtrygg.residents.models import Claim, Tip

    settings.RESIDENT_TIP_MIN_SECONDS = 0
    area_name = orsa.area.name

    # 1. An anonymous resident on a phone: 112 and 114 14 first, then the form.
    phone_page.goto("/p/2034/tips/")
    main = phone_page.locator("main")
    expect(main.locator(".emergency")).to_contain_text("Pågående brott eller fara: ring 112")
    expect(main.locator(".emergency")).to_contain_text(
        "Anmäla brott eller tipsa om personer: polisen.se eller 114 14"
    )
    phone_page.wait_for_selector("#tip-map .leaflet-overlay-pane svg path")
    _shot(phone_page, "tip-form-390")
    phone_page.select_option("#id_category", "otrygg-plats")
    phone_page.select_option("#id_place", str(orsa.place.pk))
    phone_page.fill("#id_description", "Lampan i gångtunneln vid torget är trasig, helt mörkt.")
    phone_page.get_by_role("button", name="Skicka tipset").click()
    expect(phone_page.locator(".tip-thanks")).to_contain_text("Tack! Ditt tips har kommit in.")
    _shot(phone_page, "tip-thanks-390")
    tip = Tip.objects.get()
    assert tip.area_id == orsa.area.pk and tip.contact_email == ""

    # Five reports of dark places this week already (so the public chart has bars: counts
    # under the public minimum of five are shown as "färre än 5" and drawn as none).
    from samtrygg.core.dataio import system_actor
    from samtrygg.observations import services as observations

    observations.submit_report(
        system_actor(orsa.partnership),
        [
            observations.IncidentInput(
                category="otrygg-plats",
                occurred_on=str(dt.date.today()),
                time_band="kvall",
                place=orsa.place.pk,
                description="Mörkt vid torget.",
                assessment=2,
            )
            for _n in range(5)
        ],
        organisation=orsa.organisation,
    )

    # 2. The samordnare makes it a report at the delområde.
    login(page, orsa.user("samordnare"))
    page.goto("/tips/")
    _shot(page, "tip-queue-desktop")
    page.locator(f'[data-tip-id="{tip.pk}"] a').click()
    _shot(page, "tip-detail-desktop")
    page.get_by_role("button", name="Gör till rapport").click()
    expect(page.locator(".messages")).to_contain_text("Tipset är nu en rapport i lägesbilden.")
    observation = Observation.objects.get(source="boende")
    assert observation.source == "boende" and observation.location_precision == "delomrade"

    # ... which the next lägesbild counts.
    year, week, _day = dt.date.today().isocalendar()
    page.goto("/lagesbild/")
    expect(page.locator(f'[data-area="{area_name}"] [data-num="count"]')).to_have_text("6")

    # 3. A claim: recorded, checked (the chart), answered.
    page.goto("/faktasvar/nytt/")
    page.fill("#id_period", f"{year}-W{week:02d}")
    page.get_by_label("Otrygg plats (mörk, ödslig, skymd)").check()
    page.fill("#id_wording", "Det har blivit farligt mörkt överallt i centrum den här veckan.")
    page.get_by_role("button", name="Registrera och kontrollera").click()
    expect(page.locator(".messages")).to_contain_text("datakontrollen gjord")
    page.wait_for_selector('[data-chart="claim-chart"][data-rendered="1"] svg')
    page.get_by_label("Stämmer delvis").check()
    page.fill("#id_text", "Samverkan har fått ett tips om trasig belysning i gångtunneln.")
    page.get_by_role("button", name="Spara för godkännande").click()
    expect(page.locator("#pending")).to_contain_text("väntar på godkännande")
    assert page.get_by_role("button", name="Godkänn och publicera").count() == 0
    _shot(page, "claim-samordnare-desktop")
    claim = Claim.objects.get()

    # 4. The kommunpolis approves; the public page shows the answer with its chart.
    polis = new_page()
    login(polis, orsa.user("kommunpolis"))
    polis.goto(f"/faktasvar/{claim.pk}/")
    _shot(polis, "claim-kommunpolis-desktop")
    polis.get_by_role("button", name="Godkänn och publicera").click()
    expect(polis.locator(".messages")).to_contain_text("godkänt och publicerat")
    phone_page.goto("/p/2034/fakta/")
    expect(phone_page.locator(".fact")).to_contain_text("Stämmer delvis")
    _shot(phone_page, "facts-390")
    phone_page.get_by_role("link", name="Se siffrorna bakom svaret").click()
    expect(phone_page.locator(".chart-table")).to_contain_text(f"{year}-W{week:02d}")
    _shot(phone_page, "fact-390")
    anonymous = new_page()
    anonymous.goto(f"/p/2034/fakta/{claim.pk}/")
    anonymous.wait_for_selector('.fact [data-rendered="1"] svg')
    expect(anonymous.locator(".chart-table")).to_contain_text("6")
    _shot(anonymous, "fact-desktop")
    anonymous.goto("/p/2034/tips/")
    _shot(anonymous, "tip-form-desktop")
