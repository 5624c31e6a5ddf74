"""The export command and its JSON contract; every Brå number in it equals the value in the
Brå files shipped with Samtrygg (read here on their own, without the importer)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from samtrygg.statutory import services
from tests.sources.conftest import run_command
from tests.statutory.conftest import make_body, make_problem, plan_fields

pytestmark = pytest.mark.django_db
SHIPPED = Path(__file__).resolve().parents[2] / "samtrygg" / "sources" / "demo"
TOTALS = SHIPPED / "anmalda_brott_kommuner_2021_with_kommunkod.csv"
LONG_FORM = SHIPPED / "brott_mot_liv_och_halsa_per100k_kommuner_2021.csv"
TOTAL = "Anmälda brott totalt"


def _number(text: str) -> float | None:
    text = text.strip().replace(" ", "").replace(",", ".")
    return None if text in ("..", "", "-") else float(text)


def _files() -> tuple[dict[str, tuple[float, float]], dict[str, float]]:
    """(kommunkod -> (count, rate)) for the totals, (kommunkod -> rate) for 3 kap."""
    with TOTALS.open(encoding="utf-8-sig") as handle:
        totals = {
            row["kommunkod"]: (
                float(row["antal_anmalda_brott"]),
                float(row["anmalda_brott_per_100000_inv"]),
            )
            for row in csv.DictReader(handle)
        }
    with LONG_FORM.open(encoding="utf-8-sig") as handle:
        person: dict[str, float] = {}
        for row in csv.DictReader(handle):
            value = _number(row["varde"])
            if row["brottstyp"].startswith("3 kap.") and value is not None:
                person[row["kommunkod"]] = value
    return totals, person


def _rate_of(codes: list[str], totals: dict[str, tuple[float, float]]) -> float:
    counts = sum(totals[c][0] for c in codes if c in totals)
    people = sum(totals[c][0] * 100_000 / totals[c][1] for c in codes if c in totals)
    return counts * 100_000 / people


def _export(*extra: str) -> dict[str, Any]:
    code, out, err = run_command(
        "export", "statutory", "--partnership", "2034", "--format", "json", *extra
    )
    assert code == 0, err
    return json.loads(out)


def test_every_bra_number_equals_the_shipped_files(orsa: Any, coordinator: Any) -> None:
    from samtrygg.core.models import Municipality

    for path in (TOTALS, LONG_FORM):
        code, _out, err = run_command("import", "bra-crime", str(path), "--year", "2021")
        assert code == 0, err
    problem = make_problem(coordinator)
    services.create_plan_item(coordinator, problem, **plan_fields(orsa))
    services.create_plan_item(coordinator, problem, **plan_fields(orsa, title="Belysning"))
    report = services.draft_report(coordinator, year=2025)
    services.record_decision(
        coordinator,
        report,
        body=make_body(coordinator),
        date=dt.date.today(),
        reference="KS § 45",
        outcome="godkant",
    )
    services.adopt_report(coordinator, report)

    exported = _export()
    assert list(exported)[:0] == [] and set(exported) >= {
        "metadata",
        "kartlaggning",
        "annan_information",
        "analys",
        "atgardsplan",
    }
    problem_ids = {p["id"] for p in exported["analys"]["problems"]}
    assert len(exported["atgardsplan"]) == 2
    assert all(item["problem"] in problem_ids for item in exported["atgardsplan"])

    totals, person = _files()
    dalarna = list(Municipality.objects.filter(county_id="20").values_list("code", flat=True))
    rows = exported["kartlaggning"]["bra"]
    assert {(r["year"], r["category"]) for r in rows} == {
        (2021, TOTAL),
        (2021, "3 kap. Brott mot liv och hälsa"),
    }
    for row in rows:
        assert set(row) == {
            "year",
            "category",
            "count",
            "per_100k",
            "lan_per_100k",
            "riket_per_100k",
        }
        if row["category"] == TOTAL:
            count, rate = totals["2034"]
            assert row["count"] == count
            assert row["per_100k"] == rate
            assert row["lan_per_100k"] == pytest.approx(_rate_of(dalarna, totals), rel=1e-9)
            assert row["riket_per_100k"] == pytest.approx(_rate_of(list(totals), totals), rel=1e-9)
        else:
            assert row["count"] is None
            assert row["per_100k"] == person["2034"]

    # The PDF writes the rates whole with their thousands grouped, as the pages do.
    from samtrygg.documents.pdf import render_html
    from samtrygg.statutory import exports

    html = render_html("statutory/report_pdf.html", exports.pdf_context(report))
    table = html[html.index('id="bra-table"') :]
    table = table[: table.index("</table>")]
    total = next(r for r in rows if r["category"] == TOTAL)
    written = f"{round(total['per_100k']):,}".replace(",", "\u00a0")
    assert f'<td class="numbers">{written}</td>' in table
    assert f'<td class="numbers">{round(total["per_100k"])}</td>' not in table


def test_the_draft_and_the_documents(orsa: Any, coordinator: Any) -> None:
    code, _out, err = run_command(
        "export", "statutory", "--partnership", "2034", "--format", "json"
    )
    assert code != 0 and "ingen antagen" in err
    services.draft_report(coordinator, year=2025)
    assert _export("--draft")["metadata"]["status"] == "utkast"
