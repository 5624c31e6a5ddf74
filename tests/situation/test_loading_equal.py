"""The columnar loader gives exactly what reading the records one by one gives.

``reference_load`` is the loader as it was: every observation and police event read as a
model instance or a row of Python values, its datetimes turned into epoch seconds in Python.
The loader of the application (``compute.load``: integer columns computed by the database,
read in one block, one binary array per column on PostgreSQL) must give the same records,
the same police events in the same order, and so the same picture, for every kind of filter.
Run on PostgreSQL with DATABASE_URL=postgres://….
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from typing import Any

import numpy as np
import pytest
from django.db import models

from samtrygg.analysis.picture import Period
from samtrygg.situation import compute

pytestmark = pytest.mark.django_db

YEAR = 2025


def reference_load(partnership: Any, period: Period, filters: compute.Filters) -> dict[str, Any]:
    """The records of the picture, read one by one into Python objects."""
    from samtrygg.core.models import Area
    from samtrygg.observations.models import Category, Observation, PoliceTypeMapping, Source
    from samtrygg.sources.models import PoliceEvent

    start = dt.datetime.fromtimestamp(compute.window_start(period), tz=dt.UTC)
    end = dt.datetime.fromtimestamp(period.end, tz=dt.UTC)
    categories = list(
        Category.objects.filter(partnership=partnership).order_by("sort_order", "name", "id")
    )
    category_code = {c.pk: i for i, c in enumerate(categories)}
    area_code = {
        a.pk: i
        for i, a in enumerate(Area.objects.filter(partnership=partnership).order_by("name", "id"))
    }
    source_keys = [*Source.values, compute.POLICE]
    qs = Observation.objects.filter(
        partnership=partnership,
        merged_into__isnull=True,
        occurred_at__gte=start,
        occurred_at__lt=end,
    )
    if filters.categories:
        qs = qs.filter(category_id__in=filters.categories)
    if filters.organisations:
        qs = qs.filter(organisation_id__in=filters.organisations)
    if filters.sources:
        qs = qs.filter(source__in=[s for s in filters.sources if s != compute.POLICE])
    observations = sorted(
        (
            int(o.occurred_at.timestamp()),
            category_code.get(o.category_id, -1),
            area_code.get(o.area_id, -1),
            o.h3_cell,
            source_keys.index(o.source) if o.source in source_keys else -1,
            0
            if o.time_exact
            else max(int(o.occurred_end.timestamp()) - int(o.occurred_start.timestamp()), 0),
        )
        for o in qs
    )
    police: list[tuple[int, int, int]] = []
    if filters.police_included and categories:
        mapping = dict(
            PoliceTypeMapping.objects.filter(
                partnership=partnership, category__isnull=False
            ).values_list("police_type", "category_id")
        )
        for event in PoliceEvent.objects.filter(
            municipality_id=partnership.municipality_id,
            is_summary=False,
            published__gte=start,
            published__lt=end,
        ):
            category_id = mapping.get(event.type)
            if category_id is None:
                continue
            if filters.categories and category_id not in filters.categories:
                continue
            when = event.occurred or event.published
            if not start <= when < end:
                continue
            police.append((event.pk, int(when.timestamp()), category_code[category_id]))
    return {"observations": observations, "police": police}


def columnar(loaded: compute.Loaded) -> dict[str, Any]:
    police_code = loaded.source_keys.index(compute.POLICE)
    own = loaded.sources != police_code
    bands = loaded.bands if loaded.bands is not None else np.zeros(loaded.times.size, np.int64)
    rows = np.column_stack(
        [loaded.times, loaded.categories, loaded.areas, loaded.cells, loaded.sources, bands]
    )
    observations = sorted(tuple(int(v) for v in row) for row in rows[own])
    police = [
        (pk, int(t), int(c))
        for pk, t, c in zip(
            loaded.police_event_ids,
            loaded.times[~own],
            loaded.categories[~own],
            strict=True,
        )
    ]
    return {"observations": observations, "police": police}


def _plain(value: Any) -> Any:
    """A picture as lists and dicts, so two pictures compare with ==."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, np.ndarray):
        return [_plain(v) for v in value.tolist()] if value.dtype == object else value.tolist()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, float) and value != value:
        return "nan"
    return value


def _police_event(pk: int, code: str, published: dt.datetime, **fields: Any) -> None:
    from samtrygg.sources.models import PoliceEvent

    PoliceEvent.objects.create(
        id=pk,
        published=published,
        title="Händelse",
        url=f"https://polisen.se/{pk}",
        municipality_id=code,
        county_id=code[:2],
        precision="kommun",
        raw={},
        content_hash=str(pk),
        seen_at=published,
        location_name="Orsa",
        **{"type": "Stöld", "is_summary": False, "occurred": None} | fields,
    )


@pytest.fixture
def records(orsa: Any) -> Any:
    """Three years of reports in Orsa (exact times and time bands, every source, merged
    duplicates, points outside every delområde) and police events of every kind."""
    from samtrygg.core import geo
    from samtrygg.observations.models import Category, Observation, Report, Source
    from samtrygg.observations.services import ensure_defaults

    partnership = orsa.partnership
    ensure_defaults(partnership)
    categories = list(Category.objects.filter(partnership=partnership))
    report = Report.objects.create(
        partnership=partnership, organisation=orsa.organisation, channel="import"
    )
    rng = random.Random(20)
    first = dt.datetime(YEAR - 2, 1, 1, tzinfo=dt.UTC)
    rows = []
    for _ in range(700):
        start = first + dt.timedelta(seconds=rng.randrange(3 * 365 * 86400), microseconds=999)
        exact = rng.random() < 0.6
        end = start if exact else start + dt.timedelta(hours=rng.choice([2, 4, 6]))
        inside = rng.random() < 0.8
        lat = orsa.place.lat + (rng.uniform(-0.002, 0.002) if inside else 0.05)
        lon = orsa.place.lon + (rng.uniform(-0.004, 0.004) if inside else 0.05)
        located = geo.locate_point(partnership, lat, lon)
        rows.append(
            Observation(
                report=report,
                partnership=partnership,
                organisation=rng.choice([orsa.organisation, orsa.other_organisation]),
                category=rng.choice(categories),
                occurred_on=start.date(),
                time_exact=exact,
                occurred_at=start + (end - start) / 2,
                occurred_start=start,
                occurred_end=end,
                lat=lat,
                lon=lon,
                area_id=located.area_id,
                h3_cell=located.h3_cell,
                location_precision="punkt",
                description="Händelse",
                assessment=2,
                source=rng.choice(Source.values),
            )
        )
    Observation.objects.bulk_create(rows)
    kept = list(Observation.objects.filter(partnership=partnership).order_by("id")[:20])
    Observation.objects.filter(pk__in=[o.pk for o in kept[1:]]).update(merged_into=kept[0])
    types = ["Stöld", "Skadegörelse", "Misshandel", "Okänd typ", "Trafikolycka", "Rån"]
    for pk in range(1, 200):
        published = first + dt.timedelta(seconds=rng.randrange(3 * 365 * 86400))
        occurred = (
            published - dt.timedelta(hours=rng.randrange(1, 72), microseconds=500)
            if rng.random() < 0.7
            else None
        )
        _police_event(
            pk,
            "2034",
            published,
            occurred=occurred,
            type=rng.choice(types),
            is_summary=rng.random() < 0.1,
        )
    _police_event(900, "2062", first + dt.timedelta(days=400))
    # published just inside the year, happened before it: left out
    _police_event(
        901,
        "2034",
        dt.datetime(YEAR, 1, 1, 0, 30, tzinfo=dt.UTC),
        occurred=dt.datetime(2000, 1, 1, tzinfo=dt.UTC),
    )
    return orsa


def _filters(tenant: Any) -> list[compute.Filters]:
    from samtrygg.observations.models import Category

    some = tuple(
        Category.objects.filter(partnership=tenant.partnership)
        .order_by("id")
        .values_list("id", flat=True)[:3]
    )
    return [
        compute.Filters(),
        compute.Filters(categories=some),
        compute.Filters(sources=("polis",)),
        compute.Filters(sources=("egen_iakttagelse", "polis")),
        compute.Filters(organisations=(tenant.organisation.pk,)),
        compute.Filters(sources=()),
    ]


PERIODS = [Period.year(YEAR), Period.tertial(YEAR, 2), Period.month(YEAR, 3), Period.week(YEAR, 10)]


@pytest.mark.parametrize("kept", ["none", "all", "some"])
def test_the_loader_gives_what_reading_one_by_one_gives(records: Any, kept: str) -> None:
    """Whether each year is read from its kept columns (``observations.columns``) or from the
    reports: none built, all built, or all built and then one year outdated by a write."""
    from samtrygg.observations import columns
    from samtrygg.observations.models import Observation, ReportColumns

    partnership = records.partnership
    if kept != "none":
        assert columns.build_outdated() >= 3
    if kept == "some":
        moved = Observation.objects.filter(
            partnership=partnership, occurred_at__year=YEAR - 1, merged_into__isnull=True
        ).first()
        assert moved is not None
        Observation.objects.filter(pk=moved.pk).update(area=None, source="boende")
    current = ReportColumns.objects.filter(
        partnership=partnership, built_version=models.F("version")
    ).count()
    assert current == {"none": 0, "all": 3, "some": 2}[kept]
    for period, filters in ((p, f) for p in PERIODS for f in _filters(records)):
        loaded = compute.load(partnership, period, filters)
        expected = reference_load(partnership, period, filters)
        got = columnar(loaded)
        assert got["observations"] == expected["observations"], (period, filters)
        assert got["police"] == expected["police"], (period, filters)
        assert loaded.times.dtype == np.int64 and loaded.categories.dtype == np.int32
        if filters == compute.Filters() and period.unit == "year":
            assert len(expected["observations"]) > 50 and len(expected["police"]) > 10


def test_the_picture_is_the_same(records: Any) -> None:
    """The picture from the loader equals the picture from records read one by one."""
    partnership = records.partnership
    period = Period.year(YEAR)
    loaded = compute.load(partnership, period, compute.Filters())
    expected = reference_load(partnership, period, compute.Filters())
    rows = np.array(expected["observations"], dtype=np.int64).reshape(-1, 6)
    police = np.array(expected["police"], dtype=np.int64).reshape(-1, 3)
    k = police.shape[0]
    reference = dataclasses.replace(
        loaded,
        times=np.concatenate([rows[:, 0], police[:, 1]]),
        categories=np.concatenate([rows[:, 1], police[:, 2]]).astype(np.int32),
        areas=np.concatenate([rows[:, 2], np.full(k, -1)]).astype(np.int32),
        cells=np.concatenate([rows[:, 3], np.zeros(k, np.int64)]),
        sources=np.concatenate(
            [rows[:, 4], np.full(k, loaded.source_keys.index(compute.POLICE))]
        ).astype(np.int8),
        bands=np.concatenate([rows[:, 5], np.zeros(k, np.int64)]),
        police_event_ids=police[:, 0].tolist(),
    )
    assert reference.times.size == loaded.times.size > 100
    assert _plain(compute.picture_of(loaded, period)) == _plain(
        compute.picture_of(reference, period)
    )
