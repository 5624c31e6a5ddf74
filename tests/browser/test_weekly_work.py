"""The weekly work in a real browser: the samordnare opens this week's picture, adopts it with
one level overridden (with a reason), holds an EST meeting whose decision creates two
actions, the owner organisation marks one done; the adopted picture's PDF carries the levels
and counts, and its first page shows the map."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.situation.data import busy_weeks

pytestmark = pytest.mark.browser


def test_weekly_work(page: Any, new_page: Any, login: Any, orsa: Any, tmp_path: Any) -> None:
    from pypdf import PdfReader

    from samtrygg.actions.models import Action
    from samtrygg.situation.models import SituationPicture

    year, week, _day = dt.date.today().isocalendar()
    busy_weeks(orsa, year, week)
    area_name = orsa.area.name

    # 1. This week's picture, with its charts drawn by vega-embed and a table view.
    login(page, orsa.user("samordnare"))
    page.goto("/lagesbild/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"vecka {week} {year}")
    page.wait_for_selector('[data-chart="areas"][data-rendered="1"] svg')
    page.wait_for_selector("#picture-map .leaflet-overlay-pane svg path")
    # the week's events are on the map (clustered), not only the boundaries
    expect(page.locator("#picture-map")).to_have_attribute("data-points-loaded", "1")
    expect(page.locator(f'[data-area="{area_name}"] [data-num="count"]')).to_have_text("14")

    # 2. Draft, override one level with a reason, write the assessment, adopt.
    page.get_by_role("button", name="Ta fram utkast till lägesbild").click()
    page.wait_for_url("**/lagesbild/*/")
    level = page.locator("select[name^='level-']").first
    suggested = int(level.input_value())
    chosen = 3 if suggested != 3 else 2
    level.select_option(str(chosen))
    page.locator("input[name^='reason-']").first.fill("Polisen bedömer läget som allvarligt")
    page.fill("#id_assessment", "Oroligt vid torget; lugnt i övriga delområden.")
    page.get_by_role("button", name="Spara nivåer och bedömning").click()
    expect(page.locator(".messages")).to_contain_text("Nivåerna och bedömningen sparades")
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Anta lägesbilden").click()
    expect(page.locator(".messages")).to_contain_text("Lägesbilden är antagen")
    assert asked and "Anta lägesbilden" in asked[0]
    picture = SituationPicture.objects.get(partnership=orsa.partnership)
    assert picture.status == "antagen"
    assert picture.levels.get().reason == "Polisen bedömer läget som allvarligt"

    # 3. The EST meeting: agenda from the picture, a decision that creates two actions.
    page.goto("/moten/")
    page.get_by_role("button", name="Skapa möte").click()
    page.wait_for_url("**/moten/*/")
    expect(page.locator("#agenda")).to_contain_text(area_name)
    end = (dt.date.today() + dt.timedelta(days=7)).isoformat()
    page.fill("#id_text", "Öka närvaron vid torget och laga belysningen.")
    page.fill("#a0-title", "Nattvandring vid torget")
    page.select_option("#a0-type", "vuxennarvaro")
    page.select_option("#a0-owner", str(orsa.other_organisation.pk))
    page.fill("#a0-end_date", end)
    page.fill("#a1-title", "Ny belysning i gångtunneln")
    page.select_option("#a1-type", "fysisk_atgard")
    page.select_option("#a1-owner", str(orsa.organisation.pk))
    page.fill("#a1-end_date", end)
    page.get_by_role("button", name="Spara beslut och insatser").click()
    expect(page.locator("#decision-1")).to_contain_text("Nattvandring vid torget")
    expect(page.locator("#decision-1")).to_contain_text("Ny belysning i gångtunneln")
    assert Action.objects.filter(decision__number=1).count() == 2

    # 4. The owner organisation (the housing company's rapportör) marks its action done.
    owner_page = new_page()
    login(owner_page, orsa.user("rapportor"))
    owner_page.goto("/insatser/")
    expect(owner_page.locator("#action-table tbody tr")).to_have_count(1)
    owner_page.get_by_role("link", name="Nattvandring vid torget").click()
    owner_page.select_option("#id_status", "genomford")
    owner_page.fill("#id_done_count", "1")
    owner_page.fill("#id_outcome", "Lugn kväll, ett tiotal ungdomar på torget.")
    owner_page.get_by_role("button", name="Spara status").click()
    expect(owner_page.locator("#action-status")).to_have_text("Genomförd")

    # 5. The adopted picture's PDF: its text carries the levels and counts; page 1 shows the map.
    response = page.request.get(f"/lagesbild/{picture.pk}/lagesbild.pdf")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    labels = {2: "Orange (oroligt)", 3: "Röd (allvarligt)"}
    assert area_name in text and labels[chosen] in text
    assert "14 händelser" in text and "Polisen bedömer läget som allvarligt" in text
    assert shutil.which("pdftoppm"), "pdftoppm (poppler-utils) behövs för att rendera PDF:en"
    (tmp_path / "p.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(tmp_path / "p.pdf"),
            str(tmp_path / "page1"),
        ],
        check=True,
    )
    from PIL import Image

    image = Image.open(tmp_path / "page1.png").convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20) or []
    coloured = sum(n for n, (r, g, b) in colours if r > g + 40 and r > b + 40)
    kommun_fill = sum(n for n, (r, g, b) in colours if (r, g, b) == (223, 231, 239))
    assert coloured > 500, "the delområde's level colour is not on page 1"
    assert kommun_fill > 500 or coloured > 2000, "the map is not on page 1"
