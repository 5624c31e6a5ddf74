"""The comparisons' figures: Brå rates for kommun, län and country; police rates and trend;
overdue flags; the map's classes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from samtrygg.county import maps, queries
from samtrygg.county.scope import county_scope

pytestmark = pytest.mark.django_db


def _stat(code: str, year: int, category: str, unit: str, value: float) -> None:
    from samtrygg.sources.models import CrimeStatistic

    CrimeStatistic.objects.create(
        municipality_id=code, year=year, category=category, unit=unit, value=value
    )


def test_crime_rates_of_kommun_lan_and_country(county_user: Any) -> None:
    from samtrygg.core.models import Population

    Population.objects.update_or_create(
        municipality_id="2034", year=2021, defaults={"population": 7000}
    )
    Population.objects.update_or_create(
        municipality_id="2062", year=2021, defaults={"population": 20000}
    )
    Population.objects.update_or_create(
        municipality_id="0180", year=2021, defaults={"population": 980000}
    )
    _stat("2034", 2021, "Samtliga", "antal", 700)  # 10 000 per 100 000
    _stat("2062", 2021, "Samtliga", "antal", 1000)  # 5 000
    _stat("2062", 2021, "Samtliga", "per_100000", 5000)
    _stat("0180", 2021, "Samtliga", "antal", 98000)  # 10 000, Stockholm
    blocks = queries.crime_rates(county_scope(county_user, "20"))
    assert len(blocks) == 1
    block = blocks[0]
    assert block.kommuner["2034"].rate == pytest.approx(10000)
    assert block.kommuner["2062"].rate == 5000 and block.kommuner["2062"].published
    assert block.scope.rate == pytest.approx(1700 * 100000 / 27000)
    assert block.scope_kommuner == 2
    assert block.country.rate == pytest.approx(99700 * 100000 / 1007000)
    assert block.country_kommuner == 3
    places = {k.code: k for k in queries.kommuner(county_scope(county_user, "20"))}
    assert places["2034"].small and not places["2080"].small
    assert places["2039"].tourist and not places["2080"].tourist


def _event(pk: int, code: str, when: dt.datetime, summary: bool = False) -> None:
    from samtrygg.sources.models import PoliceEvent

    PoliceEvent.objects.create(
        id=pk,
        published=when,
        title="t",
        url="https://polisen.se/x",
        type="Stöld",
        is_summary=summary,
        location_name="Orsa",
        municipality_id=code,
        county_id="20",
        precision="kommun",
        raw={},
        content_hash=str(pk),
        seen_at=when,
    )


def test_police_rates_and_trend(county_user: Any) -> None:
    from samtrygg.core.models import Population

    people = Population.objects.filter(municipality_id="2034").order_by("-year").first()
    assert people is not None
    n = 0
    for year, count in ((2023, 10), (2024, 15), (2025, 3)):
        for i in range(count):
            n += 1
            _event(n, "2034", dt.datetime(year, 3, 1 + i, 12, tzinfo=dt.UTC))
    _event(999, "2034", dt.datetime(2024, 5, 1, tzinfo=dt.UTC), summary=True)
    rates = queries.police_rates(county_scope(county_user, "20"), today=dt.date(2025, 6, 1))
    assert rates.years == [2023, 2024, 2025]
    assert rates.complete_years == [2023, 2024]
    orsa = next(r for r in rates.rows if r.kommunkod == "2034")
    assert orsa.counts == {2023: 10, 2024: 15, 2025: 3}
    assert orsa.rates[2024] == pytest.approx(15 * 100000 / people.population)
    assert orsa.trend == pytest.approx(0.5)
    mora = next(r for r in rates.rows if r.kommunkod == "2062")
    assert mora.counts == {2023: 0, 2024: 0, 2025: 0} and mora.trend is None
    assert rates.total.counts[2024] == 15


def test_overdue_flags(county_user: Any, orsa: Any) -> None:
    row = queries.ComplianceRow(
        "2034",
        "Orsa",
        True,
        agreement_valid_to=dt.date(2024, 12, 31),
        promise_valid_to=dt.date(2026, 12, 31),
        next_review=dt.date(2025, 1, 1),
    )
    flags = queries._overdue(row, frozenset(), dt.date(2025, 6, 1))
    assert "agreement" in flags and "review" in flags and "promise" not in flags


def test_map_classes_and_colours() -> None:
    bounds = maps.classes([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    assert bounds == [2, 4, 6, 8, 10]
    assert maps.colour_of(1, bounds) == maps.CLASS_COLOURS[0]
    assert maps.colour_of(10, bounds) == maps.CLASS_COLOURS[-1]
    assert maps.colour_of(None, bounds) == maps.NO_DATA
    assert maps.classes([3, 3, 3]) == [3]
    assert maps.classes([449, 661, 781]) == [449, 661, 781]


def test_map_is_an_svg_of_the_lan(county_user: Any) -> None:
    scope = county_scope(county_user, "20")
    places = queries.kommuner(scope)
    measure = maps.Measure("x", "Prov", {"2034": 10.0, "2062": 20.0})
    svg = maps.choropleth(scope, places, measure)
    assert svg.startswith("<svg") and svg.count("<path") == len(places)
    assert "Orsa" in svg


def test_statutory_obligations_become_columns() -> None:
    from dataclasses import dataclass

    from samtrygg.county import records

    @dataclass
    class Obligation:
        key: str
        date: dt.date | None
        status: str
        detail: str = ""

    entries = records._from_obligations(
        [
            Obligation("lagesbild", dt.date(2025, 3, 1), "ok"),
            Obligation("atgardsplan", dt.date(2025, 3, 1), "ok", "4 åtgärder."),
            Obligation("samordningsfunktion", None, "overdue"),
            Obligation("uppfoljning", None, "overdue"),
            Obligation("oversyn", dt.date(2026, 3, 1), "ok"),
        ]
    )
    assert entries.lagesbild_adopted == dt.date(2025, 3, 1)
    assert entries.action_plan_decided == dt.date(2025, 3, 1)
    assert entries.action_plan_body == "4 åtgärder."
    assert entries.coordination_function is False
    assert entries.next_review == dt.date(2026, 3, 1)
    assert entries.overdue == {"coordination", "follow_up"}
    assert records._from_obligations([]).coordination_function is None


def test_themes_are_counted_per_kommun(county_user: Any, orsa: Any, monkeypatch: Any) -> None:
    from tests.conftest import build_tenant

    mora = build_tenant("2062", "LPO Mora", 61.0, 14.5, "MORA")
    from samtrygg.county import records

    themes_by_kommun = {
        orsa.partnership.pk: {("Åtgärdstyp", "Vuxennärvaro"), ("Åtgärdstyp", "Rondering")},
        mora.partnership.pk: {("Åtgärdstyp", "Vuxennärvaro")},
    }
    monkeypatch.setattr(
        records, "themes_for", lambda found: {p.pk: themes_by_kommun[p.pk] for p in found}
    )
    found = queries.themes(county_scope(county_user, "20"))
    assert [(t.label, t.kommuner) for t in found] == [("Vuxennärvaro", 2), ("Rondering", 1)]
    monkeypatch.undo()
    # without a decided åtgärdsplan a partnership has no themes
    assert records.themes_of(orsa.partnership) == set()


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0.123, "↑ +12\u00a0%"),
        (-0.2, "↓ −20\u00a0%"),
        (-0.003, "→ 0\u00a0%"),
        (0.004, "→ 0\u00a0%"),
        (0.03, "→ +3\u00a0%"),
    ],
)
def test_trend_shows_no_sign_on_a_change_that_rounds_to_nothing(value: float, shown: str) -> None:
    from samtrygg.county.templatetags.county import trend

    assert f'<span class="trend">{shown}</span>' == trend(value)
