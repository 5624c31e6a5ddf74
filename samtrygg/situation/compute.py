"""Load a partnership's records for a period and filters as arrays, and call the analysis
engine (:func:`samtrygg.analysis.picture.compute_picture`).

Observations (EST reports) are read through ``observations.columns`` (each year from its
kept columns while they are current) and carry their delområde and h3 cell; police events are
placed by kommun only, so they enter with area −1 and cell 0: they count in the kommun's
totals, the trends by category and source and the hot times, never in a delområde or a hot
spot.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import (
    BigIntegerField,
    Min,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from samtrygg.analysis.binning import (
    Unit,
    local_seconds,
    period_index,
    period_label,
    period_label_sv,
    period_start,
    same_period_last_year,
)
from samtrygg.analysis.picture import (
    DEFAULT_BASELINE,
    DEFAULT_TREND_UNIT,
    Period,
    Picture,
    PictureSettings,
    compute_picture,
)
from samtrygg.core.columnar import int_columns
from samtrygg.core.dbfunctions import EpochSeconds
from samtrygg.core.models import Area, Partnership
from samtrygg.observations import columns

POLICE = "polis"
_PERIOD_RE = re.compile(
    r"^(?P<year>\d{4})(?:-(?:W(?P<week>\d{1,2})|T(?P<tertial>[1-3])|(?P<month>\d{1,2})))?$",
    re.IGNORECASE,
)


def parse_period(text: str | None, today: dt.date | None = None) -> Period:
    """``2025-W47``, ``2025-11``, ``2025-T3`` or ``2025``; empty: this ISO week."""
    text = (text or "").strip()
    if not text:
        today = today or timezone.localdate()
        year, week, _day = today.isocalendar()
        return Period.week(year, week)
    match = _PERIOD_RE.match(text)
    if match is None:
        raise ValueError(text)
    year = int(match.group("year"))
    if match.group("week"):
        return Period.week(year, int(match.group("week")))
    if match.group("tertial"):
        return Period.tertial(year, int(match.group("tertial")))
    if match.group("month"):
        return Period.month(year, int(match.group("month")))
    return Period.year(year)


def previous(period: Period) -> Period:
    return Period(period.unit, period.index - 1)


@dataclass(frozen=True)
class Filters:
    """Category ids, sources (observation source values and ``polis``), organisation ids."""

    categories: tuple[int, ...] = ()
    sources: tuple[str, ...] = ()
    organisations: tuple[int, ...] = ()

    @property
    def any(self) -> bool:
        return bool(self.categories or self.sources or self.organisations)

    def as_dict(self) -> dict[str, list[Any]]:
        return {
            "categories": list(self.categories),
            "sources": list(self.sources),
            "organisations": list(self.organisations),
        }

    @property
    def police_included(self) -> bool:
        return not self.organisations and (not self.sources or POLICE in self.sources)


@dataclass
class Loaded:
    """The records as arrays, and the code tables behind their integer codes."""

    times: np.ndarray
    categories: np.ndarray
    areas: np.ndarray
    cells: np.ndarray
    sources: np.ndarray
    category_ids: list[int]
    category_names: list[str]
    area_ids: list[int]
    area_names: list[str]
    population: list[int | None]
    source_keys: list[str]
    data_start: int | None
    police_event_ids: list[int] = field(default_factory=list)
    bands: np.ndarray | None = None


def window_start(period: Period, settings: PictureSettings | None = None) -> int:
    """UTC epoch seconds of the first instant any part of the picture looks at."""
    cfg = settings or PictureSettings()
    unit = period.unit
    n_base = cfg.baseline_periods if cfg.baseline_periods is not None else DEFAULT_BASELINE[unit]
    first = min(period.index - n_base, same_period_last_year(period.index, unit))
    step_unit: Unit = cfg.trend_unit or DEFAULT_TREND_UNIT[unit]
    last_step = int(period_index(np.asarray([period.end - 1]), step_unit)[0])
    first_step = last_step - cfg.trend_steps + 1
    return min(int(period_start(first, unit)), int(period_start(first_step, step_unit)))


def police_arrays(
    qs: QuerySet[Any], mapping: QuerySet[Any], start: dt.datetime, end: dt.datetime
) -> np.ndarray:
    """(id, epoch seconds, category id) rows of the police events of ``qs`` whose type the
    type mappings ``mapping`` (a partnership's, with a category) give a category, and whose
    time (when it happened, else when it was published) falls in [start, end); newest
    published first, as the events are listed. ``start`` and ``end`` are whole seconds.

    The database looks up each event's category (one indexed lookup per event), so the
    query stays the same size whatever the number of types a partnership maps; the events
    with no category, or outside the window, are left out here, from the integers, so that
    the database looks up each category once and compares no datetimes twice."""
    category = Subquery(
        mapping.filter(police_type=OuterRef("type")).order_by().values("category_id")[:1]
    )
    rows = qs.order_by("-published", "-id").values_list(
        "id",
        EpochSeconds(Coalesce("occurred", "published")),
        Coalesce(category, Value(-1), output_field=BigIntegerField()),
    )
    table = int_columns(rows, 3)
    times = table[:, 1]
    # Whole seconds: a time is at or after a whole second exactly when its floor is.
    keep = (table[:, 2] >= 0) & (times >= int(start.timestamp())) & (times < int(end.timestamp()))
    return table if keep.all() else table[keep]


def codes_of(ids: np.ndarray, ordered_ids: Sequence[int]) -> np.ndarray:
    """The position of each id in ``ordered_ids`` (int32), −1 where it is not there."""
    if not len(ordered_ids):
        return np.full(ids.size, -1, dtype=np.int32)
    known = np.asarray(ordered_ids, dtype=np.int64)
    order = np.argsort(known, kind="stable")
    sorted_ids = known[order]
    position = np.minimum(np.searchsorted(sorted_ids, ids), sorted_ids.size - 1)
    found = sorted_ids[position] == ids
    return np.where(found, order[position], -1).astype(np.int32)


def load(partnership: Partnership, period: Period, filters: Filters) -> Loaded:
    """Fetch the records the picture needs (one query per source) as arrays."""
    from samtrygg.observations.models import Category, Observation, PoliceTypeMapping, Source
    from samtrygg.sources.models import PoliceEvent

    start = dt.datetime.fromtimestamp(window_start(period), tz=dt.UTC)
    end = dt.datetime.fromtimestamp(period.end, tz=dt.UTC)
    categories = list(
        Category.objects.filter(partnership=partnership)
        .order_by("sort_order", "name", "id")
        .values_list("id", "name")
    )
    category_ids = [pk for pk, _name in categories]
    # The names, ids and population only: a delområde's geometry is not needed to count.
    areas = list(
        Area.objects.filter(partnership=partnership)
        .order_by("name", "id")
        .values_list("id", "name", "population")
    )
    source_keys = [*Source.values, POLICE]
    source_code = {key: i for i, key in enumerate(source_keys)}

    # The reports from their kept columns (``observations.columns``), filtered here.
    reports = columns.read([partnership.pk], start, end, source_keys)
    keep = np.ones(len(reports), dtype=bool)
    if filters.categories:
        keep &= np.isin(reports.category_ids, filters.categories)
    if filters.organisations:
        keep &= np.isin(reports.organisation_ids, filters.organisations)
    if filters.sources:
        wanted = [source_code[s] for s in filters.sources if s != POLICE and s in source_code]
        keep &= np.isin(reports.sources, wanted)
    if not keep.all():
        reports = reports.where(keep)
    times, cells, bands = reports.times, reports.cells, reports.bands
    srcs = reports.sources.astype(np.int8)
    cats = codes_of(reports.category_ids, category_ids)
    area_arr = codes_of(reports.area_ids, [pk for pk, _name, _population in areas])

    police_ids: list[int] = []
    if filters.police_included and categories:
        mapping = PoliceTypeMapping.objects.filter(partnership=partnership, category__isnull=False)
        if filters.categories:
            mapping = mapping.filter(category_id__in=filters.categories)
        events = police_arrays(
            PoliceEvent.objects.filter(
                municipality_id=partnership.municipality_id,
                is_summary=False,
                published__gte=start,
                published__lt=end,
            ),
            mapping,
            start,
            end,
        )
        if events.size:
            police_ids = events[:, 0].tolist()
            k = len(police_ids)
            times = np.concatenate([times, events[:, 1]])
            cats = np.concatenate([cats, codes_of(events[:, 2], category_ids)])
            area_arr = np.concatenate([area_arr, np.full(k, -1, dtype=np.int32)])
            cells = np.concatenate([cells, np.zeros(k, dtype=np.int64)])
            srcs = np.concatenate([srcs, np.full(k, source_code[POLICE], dtype=np.int8)])
            bands = np.concatenate([bands, np.zeros(k, dtype=np.int64)])

    first = Observation.objects.filter(partnership=partnership).aggregate(m=Min("occurred_at"))["m"]
    return Loaded(
        times=times,
        categories=cats,
        areas=area_arr,
        cells=cells,
        sources=srcs,
        category_ids=category_ids,
        category_names=[name for _pk, name in categories],
        area_ids=[pk for pk, _name, _population in areas],
        area_names=[name for _pk, name, _population in areas],
        population=[population for _pk, _name, population in areas],
        source_keys=source_keys,
        data_start=int(first.timestamp()) if first else None,
        police_event_ids=police_ids,
        bands=bands,
    )


def picture_of(loaded: Loaded, period: Period) -> Picture:
    """The analysis engine's picture of loaded records (the numbers every page shows)."""
    population = (
        np.asarray(loaded.population, dtype=np.float64)
        if loaded.area_ids and all(p for p in loaded.population)
        else None
    )
    return compute_picture(
        loaded.times,
        loaded.categories,
        period=period,
        n_categories=max(len(loaded.category_ids), 1),
        areas=loaded.areas,
        cells=loaded.cells,
        n_areas=max(len(loaded.area_ids), 1),
        population=population,
        data_start=loaded.data_start,
        bands=loaded.bands,
    )


def series_by(
    loaded: Loaded, codes: np.ndarray, n_codes: int, unit: Unit, periods: np.ndarray
) -> np.ndarray:
    """Counts per code and period (rows: codes, columns: ``periods``), Stockholm time."""
    pidx = period_index(local_seconds(loaded.times), unit, local=True)
    first, last = int(periods[0]), int(periods[-1])
    keep = (pidx >= first) & (pidx <= last)
    size = last - first + 1
    flat = np.bincount(
        codes[keep].astype(np.int64) * size + (pidx[keep] - first), minlength=n_codes * size
    )
    return flat.reshape(n_codes, size)


def labels(unit: Unit, periods: np.ndarray) -> tuple[list[str], list[str]]:
    return (
        [period_label(int(i), unit) for i in periods],
        [period_label_sv(int(i), unit) for i in periods],
    )
