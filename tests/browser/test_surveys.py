"""Surveys in a real browser: a resident answers the web survey with a single-use code (and
cannot use it twice); the samordnare imports a second wave and reads the per-area results with
intervals beside the recorded reports, then attaches the result to a problem."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.surveys.conftest import microdata

pytestmark = pytest.mark.browser


def test_resident_answers_with_a_code(new_page: Any, orsa: Any) -> None:
    from samtrygg.core.dataio import system_actor
    from samtrygg.surveys import services
    from samtrygg.surveys.models import Response, Token

    actor = system_actor(orsa.partnership)
    wave = services.create_wave(actor, "Trygghet på webben", 2026, "random")
    code = services.issue_tokens(actor, wave, 2)[0]
    services.set_web_open(actor, wave, True)

    page = new_page()
    page.goto(f"/p/2034/enkat/{wave.slug}/?kod={code}")
    expect(page.locator("#id_token")).to_have_value(code)
    page.select_option("#id_area", label=orsa.area.name)
    page.locator('#q-T1 input[value="3"]').check()
    page.locator('#q-T2 input[value="2"]').check()
    page.locator('#q-P3 input[value="9"]').check()
    page.fill("#id_comment", "Mörkt vid gångtunneln på kvällarna.")
    page.get_by_role("button", name="Skicka svaren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tack för dina svar!")
    answer = Response.objects.get()
    assert answer.answers == {"T1": 3, "T2": 2, "P3": 9} and answer.area == orsa.area

    page.goto(f"/p/2034/enkat/{wave.slug}/?kod={code}")
    page.locator('#q-T1 input[value="1"]').check()
    page.get_by_role("button", name="Skicka svaren").click()
    expect(page.locator("#id_token-error")).to_contain_text("redan använts")
    assert Response.objects.count() == 1
    assert Token.objects.filter(used=True).count() == 1


def test_second_wave_results_and_evidence(page: Any, login: Any, orsa: Any, tmp_path: Any) -> None:
    from samtrygg.core.dataio import system_actor
    from samtrygg.surveys import services
    from tests.tenancy import _observation

    actor = system_actor(orsa.partnership)
    _observation(orsa)  # an EST report in Centrum, 2025
    first = [{"area": orsa.area.name, "T1": 3 if i < 5 else 1} for i in range(40)]
    services.import_responses(
        actor, microdata(first), "2024.csv", survey="Trygghetsenkät", year=2024, sample="random"
    )
    second = [{"area": orsa.area.name, "T1": 3 if i < 25 else 1} for i in range(50)]
    path = tmp_path / "2025.csv"
    path.write_bytes(microdata(second))

    login(page, orsa.user("samordnare"))
    page.goto("/trygghetsmatningar/")
    form = page.locator("#import-form")
    form.locator("#id_import_name").fill("Trygghetsenkät")
    form.locator("#id_import_year").fill("2025")
    form.locator("#id_file").set_input_files(str(path))
    form.get_by_role("button", name="Läs in svaren").click()
    expect(page.locator(".messages")).to_contain_text("50 svar inlästa")
    expect(page.get_by_role("heading", level=1)).to_have_text("Trygghetsenkät 2025")

    table = page.locator('[data-table="by-area"]')
    centrum = table.locator("tbody tr", has_text=orsa.area.name)
    expect(centrum).to_contain_text("50,0")
    expect(centrum).to_contain_text("36,6\u00a0%–63,4\u00a0%")  # Wilson 95 %
    expect(centrum).to_contain_text("12,5")  # 2024
    expect(centrum).to_contain_text("överlappar inte")
    expect(table.locator("thead")).to_contain_text("EST-rapporter 2025")
    expect(centrum.locator("td").last).to_have_text("1")
    expect(page.locator("[data-chart=chart-indicator]")).to_have_attribute("data-rendered", "1")
    result_url = page.url

    page.goto("/lagen/problem/")
    page.fill("#p-title", "Otrygga kvällar i Centrum")
    page.fill("#p-description", "Boende känner sig otrygga på kvällarna.")
    page.get_by_role("button", name="Spara problem").click()
    wave_id = result_url.rstrip("/").rsplit("/", 1)[-1]
    page.select_option("#e-pick", f"survey-result:{wave_id}")
    page.get_by_role("button", name="Koppla underlag").click()
    evidence = page.locator("#evidence")
    expect(evidence).to_contain_text("Trygghetsenkät 2025")
    expect(evidence.get_by_role("link", name="Trygghetsenkät 2025", exact=False)).to_have_attribute(
        "href", f"/trygghetsmatningar/{wave_id}/"
    )
