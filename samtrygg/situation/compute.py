"""Load a partnership's records for a period and filters as arrays, and call the analysis
engine (:func:`samtrygg.analysis.picture.compute_picture`).

Observations (EST reports) carry their delområde and h3 cell; police events are placed by
kommun only, so they enter with area −1 and cell 0: they count in the kommun's totals, the
trends by category and source and the hot times, never in a delområde or a hot spot.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Case, IntegerField, Min, QuerySet, Value, When
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
from samtrygg.core.dbfunctions import EpochSeconds
from samtrygg.core.models import Area, Partnership
from samtrygg.situation.columnar import int_columns

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


def observation_arrays(
    qs: QuerySet[Any], source_keys: Sequence[str], area_field: str = "area_id"
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(epoch seconds, category ids, area ids (0: none), h3 cells, source codes, band
    seconds) of the observations of ``qs``; a source's code is its position in
    ``source_keys``; band seconds are the length of the reported time band (0: an exact
    time). A picture over several partnerships passes ``area_field="partnership_id"``: its
    areas are the kommuner.

    The database computes the epoch seconds and the source codes, so every column arrives as
    an integer, and :func:`~samtrygg.situation.columnar.int_columns` reads them as one array
    (on PostgreSQL in COPY's binary format, with no Python object per value).
    """
    source_case = Case(
        *(When(source=key, then=Value(i)) for i, key in enumerate(source_keys)),
        default=Value(-1),
        output_field=IntegerField(),
    )
    rows = qs.order_by().values_list(
        EpochSeconds("occurred_at"),
        "category_id",
        Coalesce(area_field, Value(0)),
        "h3_cell",
        source_case,
        Case(
            When(time_exact=True, then=Value(0)),
            default=EpochSeconds("occurred_end") - EpochSeconds("occurred_start"),
            output_field=IntegerField(),
        ),
    )
    table = int_columns(rows, 6)
    return (
        np.ascontiguousarray(table[:, 0]),
        np.ascontiguousarray(table[:, 1]),
        np.ascontiguousarray(table[:, 2]),
        np.ascontiguousarray(table[:, 3]),
        table[:, 4].astype(np.int8),
        np.maximum(table[:, 5], 0),
    )


def police_arrays(
    qs: QuerySet[Any], codes: dict[str, int], start: dt.datetime, end: dt.datetime
) -> np.ndarray:
    """(id, epoch seconds, code) rows of the police events of ``qs`` whose type has a code
    in ``codes`` and whose time (when it happened, else when it was published) falls in
    [start, end); newest published first, as the events are listed."""
    if not codes:
        return np.zeros((0, 3), dtype=np.int64)
    when = Coalesce("occurred", "published")
    rows = (
        qs.annotate(when=when)
        .filter(when__gte=start, when__lt=end, type__in=list(codes))
        .order_by("-published", "-id")
        .values_list(
            "id",
            EpochSeconds(when),
            Case(
                *(When(type=kind, then=Value(code)) for kind, code in codes.items()),
                default=Value(-1),
                output_field=IntegerField(),
            ),
        )
    )
    return int_columns(rows, 3)


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
        Category.objects.filter(partnership=partnership).order_by("sort_order", "name", "id")
    )
    category_code = {c.pk: i for i, c in enumerate(categories)}
    # The names, ids and population only: a delområde's geometry is not needed to count.
    areas = list(
        Area.objects.filter(partnership=partnership)
        .order_by("name", "id")
        .only("id", "name", "population")
    )
    source_keys = [*Source.values, POLICE]
    source_code = {key: i for i, key in enumerate(source_keys)}

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
    obs_sources = [s for s in filters.sources if s != POLICE]
    if filters.sources:
        qs = qs.filter(source__in=obs_sources)
    times, category_ids, area_ids, cells, srcs, bands = observation_arrays(qs, source_keys)
    cats = codes_of(category_ids, [c.pk for c in categories])
    area_arr = codes_of(area_ids, [a.pk for a in areas])

    police_ids: list[int] = []
    if filters.police_included and categories:
        mapping = dict(
            PoliceTypeMapping.objects.filter(
                partnership=partnership, category__isnull=False
            ).values_list("police_type", "category_id")
        )
        wanted = {
            kind: category_code[category_id]
            for kind, category_id in mapping.items()
            if not filters.categories or category_id in filters.categories
        }
        events = police_arrays(
            PoliceEvent.objects.filter(
                municipality_id=partnership.municipality_id,
                is_summary=False,
                published__gte=start,
                published__lt=end,
            ),
            wanted,
            start,
            end,
        )
        if events.size:
            police_ids = events[:, 0].tolist()
            k = len(police_ids)
            times = np.concatenate([times, events[:, 1]])
            cats = np.concatenate([cats, events[:, 2].astype(np.int32)])
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
        category_ids=[c.pk for c in categories],
        category_names=[c.name for c in categories],
        area_ids=[a.pk for a in areas],
        area_names=[a.name for a in areas],
        population=[a.population for a in areas],
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
