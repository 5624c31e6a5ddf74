"""The länssamordnare's pages and API: every kommun of the län, sortable, exported."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

DALARNA = 15


def test_compliance_api_lists_every_kommun_of_the_lan(
    county_user: Any, orsa: Any, login: Any
) -> None:
    client = login(county_user)
    rows = client.get("/api/v1/counties/20/compliance").json()
    assert len(rows) == DALARNA
    for row in rows:
        for key in (
            "kommunkod",
            "statutory_lagesbild_adopted",
            "action_plan_decided",
            "coordination_function",
            "agreement_valid_to",
            "promise_valid_to",
        ):
            assert key in row
    by_code = {r["kommunkod"]: r for r in rows}
    assert by_code["2034"]["in_samtrygg"] is True
    assert by_code["2062"]["in_samtrygg"] is False
    assert by_code["2062"]["est_reports_last_4_weeks"] is None


def test_county_user_reaches_no_partnership(county_user: Any, orsa: Any, login: Any) -> None:
    client = login(county_user)
    assert client.get("/api/v1/partnerships/2034/observations").status_code in (403, 404)
    assert client.get("/api/v1/partnerships").json() == []
    assert client.get(reverse("observation-list")).status_code == 403
    assert client.get(reverse("area-list")).status_code == 403


def test_another_lan_is_not_found(county_user: Any, login: Any) -> None:
    client = login(county_user)
    assert client.get("/api/v1/counties/06/compliance").status_code == 404
    assert client.get("/api/v1/counties/x/compliance").status_code == 404
    assert client.get(reverse("county-compliance", args=["06"])).status_code == 404
    assert client.post(reverse("county-compliance", args=["20"])).status_code == 405


def test_pages_open_and_sort(county_user: Any, orsa: Any, login: Any) -> None:
    client = login(county_user)
    home = client.get(reverse("county-home"))
    assert home.status_code == 200
    assert "Dalarnas län" in home.content.decode()
    page = client.get(reverse("county-compliance", args=["20"]))
    text = page.content.decode()
    assert page.status_code == 200
    assert text.count('<th scope="row">') == DALARNA
    assert "ingen uppgift" in text
    down = client.get(
        reverse("county-compliance", args=["20"]) + "?sortera=kommun&ordning=fallande"
    )
    names = [part.split("<br>")[0] for part in down.content.decode().split('<th scope="row">')[1:]]
    assert names == sorted(names, reverse=True)
    odd = client.get(reverse("county-compliance", args=["20"]) + "?sortera=nonsens")
    assert odd.status_code == 200
    # the menu line names the län on every page
    assert 'class="county-nav"' in text


def test_xlsx_has_a_row_per_kommun(county_user: Any, orsa: Any, login: Any) -> None:
    from openpyxl import load_workbook

    client = login(county_user)
    response = client.get(reverse("county-compliance-xlsx", args=["20"]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Sammanfattning", "Kommuner"]
    rows = list(book["Kommuner"].iter_rows(values_only=True))
    assert len(rows) == DALARNA + 1
    orsa_row = next(r for r in rows if r[1] == "2034")
    assert orsa_row[3] == "ja"
    summary = {r[0]: r[1] for r in book["Sammanfattning"].iter_rows(values_only=True) if r}
    assert summary["Kommuner i länet"] == DALARNA
    assert summary["Kommuner med uppgifter i Samtrygg"] == 1


def test_comparisons_page(county_user: Any, orsa: Any, login: Any) -> None:
    client = login(county_user)
    response = client.get(reverse("county-comparisons", args=["20"]))
    assert response.status_code == 200
    assert "Hela riket" in response.content.decode() or "Ingen brottsstatistik" in (
        response.content.decode()
    )


def test_every_column_sorts() -> None:
    from samtrygg.county import views
    from samtrygg.county.forms import SORT_COLUMNS

    assert set(views.SORT_KEYS) == set(SORT_COLUMNS) == {key for key, _l in views._columns()}


def test_the_start_page_takes_a_lanssamordnare_to_the_lan(county_user: Any, login: Any) -> None:
    # No role in any partnership: the start page would only say so, while the län is there.
    client = login(county_user)
    start = client.get(reverse("home"))
    assert start.status_code == 302
    assert start["Location"] == reverse("county-compliance", args=["20"])


def test_the_start_page_explains_when_there_is_nothing_to_read(login: Any) -> None:
    from django.contrib.auth import get_user_model

    from tests.conftest import PASSWORD

    nobody = get_user_model().objects.create_user(
        username="ny@test.example", email="ny@test.example", password=PASSWORD
    )
    page = login(nobody).get(reverse("home"))
    assert page.status_code == 200
    assert "ingen roll i någon samverkan" in page.content.decode()
