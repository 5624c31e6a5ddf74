"""Every number of the picture equals what the analysis engine returns for the same records
and filters; the page shows those numbers."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest
from django.urls import reverse

from samtrygg.analysis.picture import Period, compute_picture
from samtrygg.situation import compute
from samtrygg.situation.pictures import compute_snapshot
from tests.situation.data import add_observations, busy_weeks, week_monday

pytestmark = pytest.mark.django_db
YEAR, WEEK = 2025, 20


def _engine(tenant: Any, period: Period, **filters: Any) -> Any:
    """The analysis engine on arrays built here, independently of situation.compute."""
    from samtrygg.core.models import Area
    from samtrygg.observations.models import Category, Observation

    cats = list(
        Category.objects.filter(partnership=tenant.partnership).order_by("sort_order", "name", "id")
    )
    areas = list(Area.objects.filter(partnership=tenant.partnership).order_by("name", "id"))
    qs = Observation.objects.filter(partnership=tenant.partnership)
    if "organisations" in filters:
        qs = qs.filter(organisation_id__in=filters["organisations"])
    rows = list(qs.values_list("occurred_at", "category_id", "area_id", "h3_cell"))
    code = {c.pk: i for i, c in enumerate(cats)}
    acode = {a.pk: i for i, a in enumerate(areas)}
    first = Observation.objects.filter(partnership=tenant.partnership).order_by("occurred_at")[0]
    return compute_picture(
        np.asarray([int(r[0].timestamp()) for r in rows], dtype=np.int64),
        np.asarray([code[r[1]] for r in rows], dtype=np.int32),
        period=period,
        n_categories=len(cats),
        areas=np.asarray([acode.get(r[2], -1) for r in rows], dtype=np.int32),
        cells=np.asarray([r[3] for r in rows], dtype=np.int64),
        n_areas=len(areas),
        data_start=int(first.occurred_at.timestamp()),
    )


def test_snapshot_numbers_equal_the_engine(orsa: Any) -> None:
    busy_weeks(orsa, YEAR, WEEK)
    period = Period.week(YEAR, WEEK)
    data = compute_snapshot(orsa.partnership, period)
    engine = _engine(orsa, period)
    area = data["areas"][0]
    assert area["count"] == int(engine.change.observed[0]) == 14
    assert area["expected"] == round(float(engine.change.expected[0]), 1)
    assert area["suggested"]["level"] == int(engine.levels.level[0])
    assert area["suggested"]["trend"] == int(engine.levels.trend[0])
    assert area["reason_keys"] == list(engine.levels.reason_keys[0])
    assert "sentence" not in area and "verdict_text" not in area  # codes, worded when shown
    assert area["verdict"] == int(engine.change.verdict[0])
    assert engine.levels.level[0] >= 1  # the burst raises the level
    hot = (engine.cells.hotspots.z > 0) & (engine.cells.hotspots.q <= 0.05)
    assert area["hot_cells"] == int(hot.sum())
    # The series start with the data (ten weeks back), not with zeros before them.
    by_area = data["series"]["by_area"][area["name"]]
    assert len(by_area) == len(data["series"]["periods"]) == 11
    assert by_area == [int(v) for v in engine.area_counts.counts[0]][-11:]
    assert by_area[0] > 0
    assert data["hot_times"]["total"] == [int(v) for v in engine.hot_times.total_observed]
    assert sum(data["series"]["by_category"][data["categories"][0]]) == int(
        engine.area_counts.counts.sum()
    )


def test_filters_reach_the_engine(orsa: Any) -> None:
    busy_weeks(orsa, YEAR, WEEK)
    add_observations(
        orsa,
        [week_monday(YEAR, WEEK)] * 3,
        organisation=orsa.other_organisation,
        seed=9,
    )
    period = Period.week(YEAR, WEEK)
    everything = compute_snapshot(orsa.partnership, period)
    only_other = compute_snapshot(
        orsa.partnership, period, compute.Filters(organisations=(orsa.other_organisation.pk,))
    )
    assert everything["areas"][0]["count"] == 17
    engine = _engine(orsa, period, organisations=[orsa.other_organisation.pk])
    assert only_other["areas"][0]["count"] == int(engine.change.observed[0]) == 3
    by_source = compute_snapshot(orsa.partnership, period, compute.Filters(sources=("boende",)))
    assert by_source["areas"][0]["count"] == 0


def test_the_page_shows_the_engine_numbers(orsa: Any, login: Any) -> None:
    busy_weeks(orsa, YEAR, WEEK)
    period = Period.week(YEAR, WEEK)
    engine = _engine(orsa, period)
    client = login(orsa.user("samordnare"), orsa.partnership)
    page = client.get(reverse("situation-current"), {"period": "2025-W20"}).content.decode()
    count = re.search(r'data-num="count">(\d+)<', page)
    expected = re.search(r'data-num="expected">([\d,]+)<', page)
    level = re.search(r'data-level="(\d)"', page)
    assert count and int(count.group(1)) == int(engine.change.observed[0])
    assert expected and float(expected.group(1).replace(",", ".")) == round(
        float(engine.change.expected[0]), 1
    )
    assert level and int(level.group(1)) == int(engine.levels.level[0])
    assert "vega-embed.min.js" in page and 'data-chart="by_category"' in page
    assert "Visa som tabell" in page
    points = client.get(reverse("situation-points"), {"period": "2025-W20"}).json()
    observed = [f for f in points["features"] if f["properties"]["kind"] == "observation"]
    assert len(observed) == 14


def test_parse_period() -> None:
    assert compute.parse_period("2025-W47") == Period.week(2025, 47)
    assert compute.parse_period("2025-11") == Period.month(2025, 11)
    assert compute.parse_period("2025-T3") == Period.tertial(2025, 3)
    assert compute.parse_period("2025") == Period.year(2025)
    with pytest.raises(ValueError):
        compute.parse_period("vecka 47")


def test_year_picture_rolls_up(orsa: Any, login: Any) -> None:
    busy_weeks(orsa, YEAR, WEEK)
    data = compute_snapshot(orsa.partnership, Period.year(YEAR))
    assert data["areas"][0]["count"] == 14 + 20
    client = login(orsa.user("analytiker"), orsa.partnership)
    response = client.get(reverse("situation-current"), {"period": "2025-T2"})
    assert response.status_code == 200 and "tertial 2 2025" in response.content.decode()


def test_only_police_events_chosen_loads_no_observations(orsa: Any) -> None:
    """A source filter that leaves no observation source is an empty observation query, not
    an error, and the police events of the kommun still come."""
    import datetime as dt

    from samtrygg.observations.models import PoliceTypeMapping
    from samtrygg.observations.services import ensure_defaults
    from samtrygg.sources.models import PoliceEvent

    busy_weeks(orsa, YEAR, WEEK)
    ensure_defaults(orsa.partnership)
    kind = (
        PoliceTypeMapping.objects.filter(partnership=orsa.partnership, category__isnull=False)
        .values_list("police_type", flat=True)
        .first()
    )
    when = dt.datetime.combine(week_monday(YEAR, WEEK), dt.time(12), tzinfo=dt.UTC)
    PoliceEvent.objects.create(
        id=987654321,
        published=when,
        occurred=when,
        title=f"{kind}, Orsa",
        url="https://polisen.se/x",
        type=kind,
        location_name="Orsa",
        municipality_id="2034",
        county_id="20",
        precision="kommun",
        raw={},
        content_hash="x",
        seen_at=when,
    )
    loaded = compute.load(
        orsa.partnership, Period.week(YEAR, WEEK), compute.Filters(sources=(compute.POLICE,))
    )
    assert loaded.times.size == 1
    assert loaded.police_event_ids == [987654321]
    assert (loaded.sources == loaded.source_keys.index(compute.POLICE)).all()
    assert loaded.times.dtype == np.int64 and loaded.cells.dtype == np.int64
