"""The list for samordnare and kommunpolis: filters (ISO week or period, delområde, category,
organisation, assessment, source, review), pagination, the map points, and the exports of
the filtered list as CSV, XLSX and GeoJSON."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from samtrygg.core import services as core_services
from samtrygg.core.dataio import system_actor
from samtrygg.core.weeks import iso_week
from samtrygg.observations import queries, services
from tests.observations.conftest import actor, incident, run_data_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(orsa: Any, second_reporter: Any) -> dict[str, Any]:
    today = timezone.localdate()
    last_week = today - dt.timedelta(days=7)
    north = core_services.create_area(
        system_actor(orsa.partnership),
        name="Norra ORSA-MARK",
        geometry={
            "type": "Polygon",
            "coordinates": [
                [
                    [14.60, 61.135],
                    [14.64, 61.135],
                    [14.64, 61.145],
                    [14.60, 61.145],
                    [14.60, 61.135],
                ]
            ],
        },
    )
    rapportor = actor(orsa.user("rapportor"), orsa)
    school = actor(second_reporter, orsa)
    a = services.submit_report(
        rapportor, [incident(orsa, occurred_on=today.isoformat(), time_band="natt")]
    ).observations[0]
    b = services.submit_report(
        school,
        [
            incident(
                orsa,
                occurred_on=last_week.isoformat(),
                category="narkotika",
                place=None,
                lat=61.14,
                lon=14.62,
                assessment=4,
                source="sociala_medier",
                description='Misstänkt langning vid idrottsplatsen, "flera" kvällar.',
            )
        ],
    ).observations[0]
    c = services.submit_report(
        rapportor,
        [
            incident(
                orsa,
                occurred_on=last_week.isoformat(),
                place=None,
                lat=61.2,
                lon=14.7,
                time="21:15",
                time_band="",
            )
        ],
    ).observations[0]
    services.set_reviewed(actor(orsa.user("samordnare"), orsa), a)
    return {"a": a, "b": b, "c": c, "north": north, "today": today, "last_week": last_week}


def _ids(actor_: Any, **params: str) -> set[int]:
    return {o.pk for o in queries.observations(actor_, queries.filter_from(params))}


def test_filters(orsa: Any, second_reporter: Any, data: dict[str, Any]) -> None:
    a, b, c = data["a"], data["b"], data["c"]
    samordnare = actor(orsa.user("samordnare"), orsa)
    assert _ids(samordnare) == {a.pk, b.pk, c.pk}
    assert _ids(samordnare, vecka=iso_week(data["today"])) == {a.pk}
    assert _ids(samordnare, vecka=iso_week(data["last_week"])) == {b.pk, c.pk}
    assert _ids(samordnare, fran=data["today"].isoformat()) == {a.pk}
    assert _ids(samordnare, till=data["last_week"].isoformat()) == {b.pk, c.pk}
    assert _ids(samordnare, omrade=str(orsa.area.pk)) == {a.pk}
    assert _ids(samordnare, omrade=str(data["north"].pk)) == {b.pk}
    assert _ids(samordnare, omrade="utanfor") == {c.pk}
    assert _ids(samordnare, kategori=str(b.category_id)) == {b.pk}
    assert _ids(samordnare, organisation=str(second_reporter.organisation.pk)) == {b.pk}
    assert _ids(samordnare, bedomning="4") == {b.pk}
    assert _ids(samordnare, kalla="sociala_medier") == {b.pk}
    assert _ids(samordnare, granskad="ja") == {a.pk}
    assert _ids(samordnare, granskad="nej") == {b.pk, c.pk}
    flt = queries.filter_from({"vecka": "2025-W60", "kalla": "rykten", "fran": "igår"})
    assert len(flt.problems) == 3


def test_the_list_page_filters_paginates_and_maps(
    orsa: Any, data: dict[str, Any], login: Any
) -> None:
    client = login(orsa.user("samordnare"), orsa.partnership)
    response = client.get(reverse("observation-list"), {"bedomning": "4"})
    page = response.content.decode()
    assert "Misstänkt langning" in page and "Nytt klotter" not in page
    assert "format=csv" in page and "bedomning=4" in page  # exports carry the filter
    assert f"{reverse('observation-map-data')}?bedomning=4" in page
    points = client.get(reverse("observation-map-data"), {"bedomning": "4"}).json()
    assert [f["id"] for f in points["features"]] == [data["b"].pk]
    assert points["features"][0]["geometry"]["coordinates"] == [14.62, 61.14]
    assert points["features"][0]["properties"]["category"] == "Misstänkt narkotikahantering"
    bad = client.get(reverse("observation-list"), {"vecka": "förra veckan"})
    assert "Veckan ska skrivas som 2025-W47" in bad.content.decode()
    # Pagination: 25 per page.
    services.submit_report(actor(orsa.user("rapportor"), orsa), [incident(orsa) for _ in range(20)])
    services.submit_report(actor(orsa.user("rapportor"), orsa), [incident(orsa) for _ in range(5)])
    first = client.get(reverse("observation-list")).content.decode()
    assert "Sida 1 av 2" in first and "28 händelser" in first
    assert "Sida 2 av 2" in client.get(reverse("observation-list"), {"sida": "2"}).content.decode()


def test_csv_export_holds_the_filtered_rows(orsa: Any, data: dict[str, Any], login: Any) -> None:
    client = login(orsa.user("analytiker"), orsa.partnership)
    response = client.get(reverse("observation-export"), {"format": "csv", "omrade": "utanfor"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1
    row = rows[0]
    assert row["id"] == str(data["c"].pk)
    assert row["datum"] == data["last_week"].isoformat()
    assert row["tidsband"] == "kväll" and row["tid"] == "21:15"
    assert row["kategori"] == "Klotter" and row["delomrade"] == ""
    assert (row["lat"], row["lon"]) == ("61.2", "14.7")
    assert row["bedomning"] == "2" and row["kalla"] == "egen iakttagelse"
    assert row["polisanmald"] == "nej" and row["granskad"] == "nej"
    assert row["vecka"] == iso_week(data["last_week"])
    assert "rapportor" not in response.content.decode("utf-8-sig").lower().split("\n", 1)[1]


def test_xlsx_and_geojson_exports(orsa: Any, data: dict[str, Any], login: Any) -> None:
    from openpyxl import load_workbook

    client = login(orsa.user("samordnare"), orsa.partnership)
    response = client.get(reverse("observation-export"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    assert header[:12] == [
        "datum",
        "tid",
        "tidsband",
        "kategori",
        "plats",
        "lat",
        "lon",
        "beskrivning",
        "bedomning",
        "antal_personer",
        "kalla",
        "polisanmald",
    ]
    assert len(rows) == 4
    by_id = {r[header.index("id")]: r for r in rows[1:]}
    assert by_id[data["c"].pk][header.index("tid")] == "21:15"
    assert by_id[data["a"].pk][header.index("tidsband")] == "natt"
    assert by_id[data["a"].pk][header.index("plats")] == orsa.place.name
    assert by_id[data["b"].pk][header.index("beskrivning")].startswith("Misstänkt langning")

    response = client.get(
        reverse("observation-export"), {"format": "geojson", "kategori": data["b"].category_id}
    )
    collection = json.loads(response.content)
    assert collection["type"] == "FeatureCollection"
    [feature] = collection["features"]
    assert feature["id"] == data["b"].pk
    assert feature["geometry"] == {"type": "Point", "coordinates": [14.62, 61.14]}
    assert feature["properties"]["delomrade"] == "Norra ORSA-MARK"
    assert feature["properties"]["kalla"] == "sociala medier"
    assert client.get(reverse("observation-export"), {"format": "pdf"}).status_code == 404


def test_command_line_export(orsa: Any, data: dict[str, Any]) -> None:
    out, _err = run_data_command(
        "export",
        "observations",
        "--partnership",
        "2034",
        "--format",
        "geojson",
        "--vecka",
        iso_week(data["last_week"]),
    )
    ids = {f["id"] for f in json.loads(out)["features"]}
    assert ids == {data["b"].pk, data["c"].pk}
    out, _err = run_data_command("export", "observations", "--partnership", "2034")
    assert len(list(csv.DictReader(io.StringIO(out)))) == 3


def test_exports_never_hand_a_spreadsheet_a_formula(orsa: Any, login: Any) -> None:
    from openpyxl import load_workbook

    services.submit_report(
        actor(orsa.user("rapportor"), orsa),
        [incident(orsa, description='=HYPERLINK("http://example.org","klicka")')],
    )
    client = login(orsa.user("samordnare"), orsa.partnership)
    text = client.get(reverse("observation-export"), {"format": "csv"}).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    data = client.get(reverse("observation-export"), {"format": "xlsx"}).content
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    cell = sheet.cell(row=2, column=8)
    # A text cell marked as typed text (quotePrefix): shown as written, never run.
    assert cell.data_type == "s" and cell.quotePrefix
    assert cell.value == '=HYPERLINK("http://example.org","klicka")'
