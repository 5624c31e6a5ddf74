"""``samtrygg export police-events``: the CSV contract, GeoJSON and JSON Lines, and the filters."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from typing import Any

import pytest

from tests.sources.conftest import SAMPLES, run_command

pytestmark = pytest.mark.django_db
HEADER = "id,published,occurred,type,category,kommunkod,lan_kod,precision,is_summary,url"
ISO_STOCKHOLM = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00$")


@pytest.fixture
def imported(db: Any) -> None:
    code, _out, err = run_command("import", "police-events", *map(str, SAMPLES))
    assert code == 0, err


def export(*args: str) -> tuple[int, str, str]:
    return run_command("export", "police-events", *args)


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_contract(imported: None) -> None:
    from samtrygg.sources.models import PoliceEvent

    code, out, err = export("--format", "csv")
    assert code == 0, err
    assert out.splitlines()[0] == HEADER
    records = rows(out)
    assert len(records) == PoliceEvent.objects.count()
    by_id = {int(r["id"]): r for r in records}
    new_year = by_id[480687]
    assert new_year["published"] == "2024-01-01T00:40:16+01:00"
    assert new_year["occurred"] == "2023-12-31T00:07:00+01:00"
    assert (new_year["kommunkod"], new_year["lan_kod"], new_year["precision"]) == (
        "0182",
        "01",
        "kommun",
    )
    assert new_year["category"] == ""  # no --partnership: no categories
    assert new_year["url"].startswith("https://polisen.se/aktuellt/handelser/")
    lan_only = by_id[586066]
    assert (lan_only["kommunkod"], lan_only["lan_kod"], lan_only["precision"]) == ("", "24", "lan")
    for record in records:
        assert ISO_STOCKHOLM.match(record["published"]), record
        assert ISO_STOCKHOLM.match(record["occurred"]), record
        assert record["kommunkod"] == "" or re.fullmatch(r"\d{4}", record["kommunkod"])
        assert re.fullmatch(r"\d{2}", record["lan_kod"])
        assert record["precision"] in ("kommun", "lan")
        assert record["is_summary"] in ("true", "false")
        assert record["url"].startswith("https://")
    assert any(r["kommunkod"].startswith("0") for r in records)  # leading zero kept
    summer = next(r for r in records if r["published"].startswith("2025-07"))
    assert summer["published"].endswith("+02:00")
    published = [dt.datetime.fromisoformat(r["published"]) for r in records]
    assert published == sorted(published)  # oldest first


def test_csv_categories_from_the_partnership(imported: None, orsa: Any) -> None:
    from samtrygg.observations.queries import police_type_categories

    mapping = police_type_categories(orsa.partnership)
    code, out, _err = export("--format", "csv", "--partnership", "2034")
    assert code == 0
    records = rows(out)
    for record in records:
        assert record["category"] == (mapping.get(record["type"]) or "")
    assert any(record["category"] for record in records)


def test_filters(imported: None) -> None:
    _code, out, _err = export("--format", "csv", "--kommun", "0182")
    assert {r["kommunkod"] for r in rows(out)} == {"0182"}
    _code, out, _err = export("--format", "csv", "--lan", "24")
    assert rows(out) and {r["lan_kod"] for r in rows(out)} == {"24"}
    _code, out, _err = export("--format", "csv", "--from", "2024-01-01", "--to", "2024-01-01")
    dates = {r["published"][:10] for r in rows(out)}
    assert dates == {"2024-01-01"}
    _code, out, _err = export("--format", "csv", "--no-summaries")
    assert {r["is_summary"] for r in rows(out)} == {"false"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--kommun", "123"), "Okänd kommunkod"),
        (("--lan", "99"), "Okänd länskod"),
        (("--from", "igår"), "Ogiltigt datum"),
        (("--from", "2024-02-01", "--to", "2024-01-01"), "före"),
        (("--partnership", "0114"), "ingen samverkan"),
    ],
)
def test_bad_options_are_refused(imported: None, args: tuple[str, ...], message: str) -> None:
    code, _out, err = export("--format", "csv", *args)
    assert code == 2
    assert message in err


def test_geojson_and_jsonl(imported: None) -> None:
    from samtrygg.sources.models import PoliceEvent

    code, out, _err = export("--format", "geojson", "--lan", "20")
    assert code == 0
    collection = json.loads(out)
    assert collection["type"] == "FeatureCollection"
    expected = PoliceEvent.objects.filter(county_id="20").count()
    assert len(collection["features"]) == expected > 0
    feature = collection["features"][0]
    assert feature["geometry"]["type"] == "Point"
    assert "inte platsen" in feature["properties"]["point_note"]
    assert feature["properties"]["lan_kod"] == "20"

    code, out, _err = export("--format", "jsonl")
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(lines) == PoliceEvent.objects.count()
    assert {"id", "published", "occurred", "kommunkod", "lan_kod", "precision"} <= set(lines[0])
