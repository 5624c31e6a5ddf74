"""Figures on the lägesbild that mean what they say: rates only where they mean something,
level, arrow and sentence that agree, Swedish numbers in charts, readable week axes, series
that start with the data, and Brå's rates as Brå publishes them."""

from __future__ import annotations

import csv
import datetime as dt
import re
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from samtrygg.analysis.change import Verdict
from samtrygg.analysis.levels import Level, Trend
from samtrygg.analysis.picture import Period
from samtrygg.situation import charts, wording
from samtrygg.situation.pictures import compute_snapshot
from tests.situation.data import busy_weeks, week_monday

YEAR, WEEK = 2025, 20


def _card(page: str, name: str) -> str:
    match = re.search(
        rf'<article class="card area-card" data-area="{name}">.*?</article>', page, re.S
    )
    assert match, name
    return match.group(0)


@pytest.mark.django_db
def test_a_rate_is_shown_for_a_year_only_and_says_what_it_is(orsa: Any, login: Any) -> None:
    busy_weeks(orsa, YEAR, WEEK)
    orsa.area.population = 412
    orsa.area.save()
    client = login(orsa.user("samordnare"), orsa.partnership)
    week = client.get(reverse("situation-current") + f"?period={YEAR}-W{WEEK}").content.decode()
    card = _card(week, orsa.area.name)
    # 14 events in a week over 412 people was shown as "per 100 000 och år: 176 699,0"
    assert "100 000" not in card
    year = client.get(reverse("situation-current") + f"?period={YEAR}").content.decode()
    card = _card(year, orsa.area.name)
    assert "händelser per 100 000 invånare under året (befolkning 412)" in card


@pytest.mark.parametrize(
    ("verdict", "trend", "growing", "reason"),
    [
        (Verdict.MORE, Trend.UP, 0, "↑: fler händelser än vanligt."),
        (
            Verdict.USUAL,
            Trend.UP,
            2,
            "↑: nya eller växande heta punkter, fast antalet är som vanligt.",
        ),
        (Verdict.LESS, Trend.DOWN, 0, "↓: färre händelser än vanligt."),
        (Verdict.USUAL, Trend.STEADY, 0, "→: ingen tydlig förändring."),
    ],
)
def test_the_sentence_says_what_the_arrow_rests_on(
    verdict: Verdict, trend: Trend, growing: int, reason: str
) -> None:
    area = {
        "count": 27,
        "expected": 20.0,
        "verdict": int(verdict),
        "hot_cells": 7,
        "growing_cells": growing,
        "reason_keys": [],
        "sentence": "",
        "suggested": {"level": int(Level.ORANGE), "trend": int(trend)},
    }
    with translation.override("sv"):
        sentence = wording.area_sentence(area)
    assert sentence.startswith(f"Orange (oroligt) {reason[0]}: 27 händelser")
    assert sentence.endswith(" " + reason)


def test_charts_write_swedish_numbers() -> None:
    with translation.override("sv"):
        spec = charts.trend_chart({"Klotter": [1200, 2500]}, ["2024", "2025"], "serie", "Klotter")
        svg = charts.render_svg(spec)
    assert spec["config"]["locale"]["number"]["thousands"] == "\u00a0"
    ticks = re.findall(r"<text[^>]*>([^<]*\d[^<]*)</text>", svg)
    assert any("\u00a0000" in t for t in ticks), ticks
    assert not any(re.search(r"\d,\d{3}", t) for t in ticks), ticks
    with translation.override("en"):
        english = charts.render_svg(
            charts.trend_chart({"Graffiti": [1200, 2500]}, ["2024", "2025"], "serie", "x")
        )
    assert re.search(r">\d,000<", english)


def test_a_year_of_weeks_has_a_readable_axis() -> None:
    labels = [f"vecka {w} 2025" for w in range(1, 54)]
    spec = charts.trend_chart({"Klotter": [1] * 53}, labels, "serie", "Klotter")
    values = spec["encoding"]["x"]["axis"]["values"]
    assert len(values) <= 14 and values[-1] == "vecka 53 2025"


@pytest.mark.django_db
def test_the_year_view_starts_with_the_data(orsa: Any) -> None:
    busy_weeks(orsa, YEAR, WEEK)
    data = compute_snapshot(orsa.partnership, Period.year(YEAR))
    assert data["series"]["periods"] == [str(YEAR)]  # not 2022–2024 as zeros
    weekly = compute_snapshot(orsa.partnership, Period.week(YEAR, WEEK))
    first = weekly["series"]["periods"][0]
    assert first == f"{YEAR}-W{WEEK - 10:02d}"  # the first week with reports
    assert week_monday(YEAR, WEEK - 10) > dt.datetime(YEAR, 1, 1, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_bras_rate_is_the_published_one_for_the_kommun_and_the_lan(orsa: Any) -> None:
    from tests.sources.conftest import FIXTURES, run_command

    code, _out, err = run_command(
        "import", "bra-crime", str(FIXTURES / "anmalda_brott_kommuner_2021_with_kommunkod.csv")
    )
    assert code == 0, err
    crime = compute_snapshot(orsa.partnership, Period.week(YEAR, WEEK))["crime"]
    total = next(r for r in crime["rows"] if r["category"] == "Anmälda brott totalt")
    assert crime["year"] == 2021
    assert (total["count"], total["rate"], total["published"]) == (493, 7147, True)  # not 7 180,3
    # Dalarna (kommunkod 20xx) by Brå's own figures: the counts over the populations Brå
    # divided by; 8 471,3 with the 2024 population.
    with open(FIXTURES / "anmalda_brott_kommuner_2021_with_kommunkod.csv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["kommunkod"].startswith("20")]
    counts = sum(int(r["antal_anmalda_brott"]) for r in rows)
    people = sum(
        int(r["antal_anmalda_brott"]) * 100_000 / int(r["anmalda_brott_per_100000_inv"])
        for r in rows
    )
    assert len(rows) == 15
    assert total["county_rate"] == pytest.approx(counts * 100_000 / people, abs=0.05)
    assert total["county_rate"] != 8471.3
