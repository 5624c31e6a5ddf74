"""The survey and dialogue pages for each role: results with intervals beside the recorded
counts, uploads that refuse with the row and column, PDF, XLSX and CSV."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from samtrygg.surveys import services
from samtrygg.surveys.models import Dialogue, Response
from tests.surveys.conftest import microdata

pytestmark = pytest.mark.django_db

PAGES = (
    "/trygghetsmatningar/",
    "/trygghetsmatningar/egna-fragor/",
    "/trygghetsmatningar/publicerade/",
    "/dialoger/",
)


@pytest.fixture
def waves(orsa: Any, coordinator: Any, north: Any) -> Any:
    first = [{"area": orsa.area.name, "T1": 3 if i < 5 else 1} for i in range(40)]
    second = [{"area": orsa.area.name, "T1": 3 if i < 25 else 1} for i in range(50)]
    second += [{"area": "Norra Orsa", "T1": 2} for _ in range(12)]
    services.import_responses(
        coordinator, microdata(first), "a.csv", survey="Trygghet", year=2025, sample="random"
    )
    return services.import_responses(
        coordinator, microdata(second), "b.csv", survey="Trygghet", year=2026, sample="random"
    ).wave


@pytest.mark.parametrize(
    "role", ["samordnare", "analytiker", "rapportor", "styrgrupp", "kommunpolis"]
)
def test_every_page_opens_for_every_reading_role(
    role: str, orsa: Any, login: Any, waves: Any
) -> None:
    client = login(orsa.user(role), orsa.partnership)
    for url in (*PAGES, f"/trygghetsmatningar/{waves.pk}/"):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    page = client.get(f"/trygghetsmatningar/{waves.pk}/?fraga=T1").content.decode()
    assert (
        "Webbenkäten" in page
        if role in ("samordnare", "kommunpolis")
        else "Webbenkäten" not in page
    )


def test_the_administrator_has_no_reading_role(orsa: Any, login: Any, waves: Any) -> None:
    client = login(orsa.user("administrator"), orsa.partnership)
    assert client.get("/trygghetsmatningar/").status_code == 403
    assert client.get(f"/trygghetsmatningar/{waves.pk}/").status_code == 403


def test_results_show_intervals_comparison_and_recorded_counts(
    orsa: Any, login: Any, waves: Any
) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    page = client.get(f"/trygghetsmatningar/{waves.pk}/?fraga=T1").content.decode()
    # Centrum: 25 of 50 → 50,0 % with a Wilson interval; 2025: 5 of 40 → 12,5 %
    assert "50,0\u00a0%" in page and "12,5\u00a0%" in page
    assert "36,6\u00a0%–63,4\u00a0%" in page
    assert "+37,5\u00a0p.e." in page and "överlappar inte" in page
    assert "för få svar (under 30)" in page  # Norra Orsa: 12 answers
    assert "EST-rapporter 2026" in page and "polisens händelser" in page
    assert "orsak och verkan" in page
    assert "självselekterat" not in page


def test_an_open_link_wave_says_so_everywhere(orsa: Any, coordinator: Any, login: Any) -> None:
    wave = services.import_responses(
        coordinator, microdata([{"T1": 3}] * 35), "o.csv", survey="Öppen", year=2026, sample="open"
    ).wave
    client = login(orsa.user("analytiker"), orsa.partnership)
    page = client.get(f"/trygghetsmatningar/{wave.pk}/").content.decode()
    assert page.count("självselekterat urval") >= 4  # banner, headings, table captions
    assert page.count("Självselekterat urval") == 1  # the banner
    assert page.count("Sj\\u00e4lvselekterat urval") >= 2  # every chart's subtitle
    xlsx = client.get(f"/trygghetsmatningar/{wave.pk}/indikatorer.xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    assert "Självselekterat urval" in str(sheet["A2"].value)


def test_pdf_xlsx_and_csv(orsa: Any, login: Any, waves: Any) -> None:
    from tests.tenancy import readable_text

    client = login(orsa.user("analytiker"), orsa.partnership)
    pdf = client.get(f"/trygghetsmatningar/{waves.pk}/rapport.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "Hela kommunen" in readable_text(pdf)
    xlsx = client.get(f"/trygghetsmatningar/{waves.pk}/indikatorer.xlsx")
    assert xlsx.status_code == 200 and "Hela kommunen" in readable_text(xlsx)
    csv_text = client.get(f"/trygghetsmatningar/{waves.pk}/indikatorer.csv").content.decode()
    assert csv_text.startswith("indicator,area,n,share,ci_low,ci_high,flag\n")
    reporter = login(orsa.user("rapportor"), orsa.partnership)
    assert reporter.get(f"/trygghetsmatningar/{waves.pk}/rapport.pdf").status_code == 403


def test_upload_refused_with_row_and_column_then_accepted(orsa: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    bad = SimpleUploadedFile("svar.csv", microdata([{"T1": 1}, {"T2": 4}]))
    form = {"form": "import", "name": "Trygghet", "year": "2026", "sample": "random"}
    refused = client.post("/trygghetsmatningar/", {**form, "file": bad})
    assert refused.status_code == 400
    assert "Rad 3, kolumn T2" in refused.content.decode()
    assert not Response.objects.exists()
    good = SimpleUploadedFile("svar.csv", microdata([{"T1": 1}] * 3))
    accepted = client.post("/trygghetsmatningar/", {**form, "file": good})
    assert accepted.status_code == 302
    assert Response.objects.count() == 3


def test_codes_are_shown_once_and_the_web_survey_opens(
    orsa: Any, coordinator: Any, login: Any
) -> None:
    wave = services.create_wave(coordinator, "Webb", 2026, "random")
    client = login(orsa.user("samordnare"), orsa.partnership)
    page = client.post(f"/trygghetsmatningar/{wave.pk}/koder/", {"count": "4"})
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    text = page.content.decode()
    assert text.count("?kod=") == 4 and f"/p/2034/enkat/{wave.slug}/" in text
    client.post(f"/trygghetsmatningar/{wave.pk}/webb/", {"action": "open"})
    wave.refresh_from_db()
    assert wave.web_open
    analyst = login(orsa.user("analytiker"), orsa.partnership)
    assert analyst.post(f"/trygghetsmatningar/{wave.pk}/koder/", {"count": "4"}).status_code == 403


def test_dialogue_form_keeps_input_after_refusal(orsa: Any, login: Any) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    body = {
        "title": "Dialog på torget",
        "held_on": "2026-05-01",
        "format": "medborgardialog",
        "organisers": "Kommunen",
        "participants": "10",
        "gender_kvinnor": "20",
        "summary": "Mörkt vid torget.",
    }
    refused = client.post("/dialoger/", body)
    assert refused.status_code == 400
    text = refused.content.decode()
    assert "Dialog på torget" in text and "Fördelningen är fler" in text
    assert not Dialogue.objects.exists()
    body["gender_kvinnor"] = "6"
    created = client.post("/dialoger/", body)
    assert created.status_code == 302
    dialogue = Dialogue.objects.get()
    assert client.get(f"/dialoger/{dialogue.pk}/").status_code == 200
    reporter = login(orsa.user("rapportor"), orsa.partnership)
    assert "Dialog på torget" in reporter.get("/dialoger/").content.decode()
    assert reporter.post("/dialoger/", body).status_code == 403


def test_figures_page_imports_and_deletes(orsa: Any, login: Any) -> None:
    client = login(orsa.user("analytiker"), orsa.partnership)
    text = "source,measure,region,area,year,value\npolisens-index,Trygghetsindex,Orsa,,2026,2.5\n"
    client.post(
        "/trygghetsmatningar/publicerade/", {"file": SimpleUploadedFile("f.csv", text.encode())}
    )
    page = client.get("/trygghetsmatningar/publicerade/").content.decode()
    assert "Polisens index (0–6)" in page and "2,50" in page
    refused = client.post(
        "/trygghetsmatningar/publicerade/",
        {"file": SimpleUploadedFile("f.csv", text.replace("2.5", "8").encode())},
    )
    assert refused.status_code == 400 and "Rad 2, kolumn value" in refused.content.decode()
