"""A picture as plain JSON-able data: every number the page, the PDF and the XLSX show.

The live page builds it from the analysis result on each request; adopting a lägesbild stores
it (with the rendered charts and the map) so that later data never change an adopted picture.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
from django.utils import timezone

from samtrygg.analysis.binning import Unit, period_end
from samtrygg.analysis.change import Verdict
from samtrygg.analysis.emerging import Pattern
from samtrygg.analysis.levels import LEVEL_KEYS, TREND_SYMBOL, Level, LevelRule, Trend
from samtrygg.analysis.picture import GROWING, Period, Picture
from samtrygg.core.models import Partnership
from samtrygg.situation.compute import Filters, Loaded, labels, series_by
from samtrygg.situation.schema import (
    SNAPSHOT_VERSION,
    AreaRow,
    HotSpot,
    LevelChange,
    Note,
    Rate,
    Snapshot,
    Suggested,
    TopHour,
)

__all__ = ["SNAPSHOT_VERSION", "build", "level_info"]


def _num(value: Any, digits: int = 2) -> float | None:
    number = float(value)
    if math.isnan(number) or math.isinf(number):
        return None
    return round(number, digits)


def _note(stored: dict[str, Any]) -> Note:
    return {"code": str(stored["code"]), "params": dict(stored["params"])}


def level_info(level: int, trend: int) -> Suggested:
    lvl, tr = Level(int(level)), Trend(int(trend))
    return {
        "level": int(lvl),
        "level_key": LEVEL_KEYS[lvl],
        "trend": int(tr),
        "trend_symbol": TREND_SYMBOL[tr],
    }


def _from_data_start(
    window: np.ndarray, unit: Unit, data_start: int | None, totals: np.ndarray
) -> int:
    """The first column of ``window`` to show: the period of the first report, or an earlier
    one that has records (police events may reach further back than the reports)."""
    if data_start is None or not window.size:
        return 0
    ends = period_end(window, unit)
    first = int(np.searchsorted(ends, data_start, side="right"))
    with_data = np.flatnonzero(totals)
    if with_data.size:
        first = min(first, int(with_data[0]))
    return min(first, window.size - 1)


def build(
    partnership: Partnership,
    period: Period,
    filters: Filters,
    loaded: Loaded,
    picture: Picture,
    previous: Picture | None = None,
) -> Snapshot:
    n_areas = len(loaded.area_ids)
    change = picture.change
    counts = picture.area_counts
    cells = picture.cells
    hot_per_area = np.zeros(max(n_areas, 1), dtype=np.int64)
    growing_per_area = np.zeros(max(n_areas, 1), dtype=np.int64)
    hotspots: list[HotSpot] = []
    if cells is not None:
        inside = cells.area >= 0
        hot = (cells.hotspots.z > 0) & (cells.hotspots.q <= 0.05)
        growing = np.isin(cells.emerging.pattern, [int(p) for p in GROWING])
        hot_per_area = np.bincount(cells.area[hot & inside], minlength=max(n_areas, 1))
        growing_per_area = np.bincount(cells.area[growing & inside], minlength=max(n_areas, 1))
        for i in np.flatnonzero((cells.hotspot_bins > 0) | growing):
            pattern = Pattern(int(cells.emerging.pattern[i]))
            area_index = int(cells.area[i])
            hotspots.append(
                {
                    "cell": format(int(cells.cells[i]), "x"),
                    "cell_id": int(cells.cells[i]),
                    "area": loaded.area_names[area_index] if area_index >= 0 else "",
                    "count": int(cells.current_counts[i]),
                    "z": _num(cells.hotspots.z[i]),
                    "q": _num(cells.hotspots.q[i], 4),
                    "bin": int(cells.hotspot_bins[i]),
                    "significant": bool(hot[i]),
                    "pattern": int(pattern),
                    "emerging": bool(growing[i]),
                }
            )
        hotspots.sort(key=lambda h: (-h["bin"], -(h["z"] or 0)))

    areas: list[AreaRow] = []
    for a in range(n_areas):
        verdict = Verdict(int(change.verdict[a]))
        rate: Rate | None = None
        if picture.rates is not None:
            rate = {
                "rate": _num(picture.rates.rate[a], 1),
                "lower": _num(picture.rates.lower[a], 1),
                "upper": _num(picture.rates.upper[a], 1),
            }
        prev_count = int(counts.counts[a, -2]) if counts.counts.shape[1] >= 2 else None
        area: AreaRow = {
            "id": loaded.area_ids[a],
            "name": loaded.area_names[a],
            "count": int(change.observed[a]),
            "baseline_total": int(np.asarray(change.baseline[a]).sum()),
            "expected": _num(change.expected[a], 1),
            "ratio": _num(change.ratio[a], 2),
            "q": _num(change.q[a], 4),
            "verdict": int(verdict),
            "reason_keys": list(picture.levels.reason_keys[a]),
            # what the sentence needs beside the numbers (version 2; v1 kept it in words)
            "cells_analysed": cells is not None,
            "min_count": LevelRule().min_count,
            "hot_cells": int(hot_per_area[a]),
            "growing_cells": int(growing_per_area[a]),
            "previous_count": prev_count,
            "population": loaded.population[a],
            "rate": rate,
            "by_category": {
                loaded.category_names[k]: int(picture.category_counts[a, k])
                for k in range(len(loaded.category_names))
                if picture.category_counts[a, k]
            },
            "suggested": level_info(picture.levels.level[a], picture.levels.trend[a]),
        }
        areas.append(area)

    unit = period.unit
    window = counts.periods
    cat_series = series_by(loaded, loaded.categories, len(loaded.category_names) or 1, unit, window)
    src_series = series_by(loaded, loaded.sources, len(loaded.source_keys), unit, window)
    # The series start where the data do: a period before the first report with nothing in
    # it is not a zero, it is a period without data.
    shown = _from_data_start(window, unit, loaded.data_start, cat_series.sum(axis=0))
    window, cat_series, src_series = window[shown:], cat_series[:, shown:], src_series[:, shown:]
    area_table = counts.counts[:, shown:]
    keys, labels_sv = labels(unit, window)
    from samtrygg.observations.models import Source

    source_labels = {**dict(Source.choices), "polis": "Polisens händelser"}
    current = (
        (loaded.times >= period.start) & (loaded.times < period.end)
        if loaded.times.size
        else np.zeros(0, dtype=bool)
    )
    hot_times = picture.hot_times
    top_hours: list[TopHour] = []
    for h in np.argsort(-hot_times.total_observed, kind="stable")[:5]:
        if hot_times.total_observed[h] == 0:
            break
        top_hours.append(
            {
                "day": int(h) // 24,  # 0 = Monday
                "hour": int(h) % 24,
                "observed": int(hot_times.total_observed[h]),
                "expected": _num(hot_times.total_expected[h], 1),
                "flag": int(hot_times.total_flag[h]),
            }
        )

    changes: list[LevelChange] = []
    if previous is not None:
        for a in range(n_areas):
            before = int(previous.levels.level[a])
            after = int(picture.levels.level[a])
            if before != after or (areas[a]["previous_count"] or 0) != areas[a]["count"]:
                changes.append(
                    {
                        "area": loaded.area_names[a],
                        "count_before": areas[a]["previous_count"],
                        "count_after": areas[a]["count"],
                        "level_before": before,
                        "level_after": after,
                        "level_changed": before != after,
                    }
                )
        prev_hot = (
            set()
            if previous.cells is None
            else {
                int(c)
                for c, b in zip(previous.cells.cells, previous.cells.hotspot_bins, strict=True)
                if b > 0
            }
        )
        new_hot = [h for h in hotspots if h["bin"] > 0 and h["cell_id"] not in prev_hot]
    else:
        new_hot = []

    return {
        "version": SNAPSHOT_VERSION,
        "generated_at": timezone.now().isoformat(),
        "partnership": partnership.name,
        "municipality": partnership.municipality.name,
        "period": {
            "unit": unit,
            "index": period.index,
            "label": period.label,
            "label_sv": period.label_sv,
            "start": dt.datetime.fromtimestamp(period.start, tz=dt.UTC).isoformat(),
            "end": dt.datetime.fromtimestamp(period.end, tz=dt.UTC).isoformat(),
        },
        "filters": filters.as_dict(),
        "totals": {
            "all": int(current.sum()),
            "in_areas": int(change.observed[:n_areas].sum()) if n_areas else 0,
            "police_events": int(
                (current & (loaded.sources == loaded.source_keys.index("polis"))).sum()
            )
            if loaded.times.size
            else 0,
        },
        "areas": areas,
        "categories": loaded.category_names,
        "series": {
            "periods": keys,
            "labels": labels_sv,
            "by_category": {
                name: [int(v) for v in cat_series[k]]
                for k, name in enumerate(loaded.category_names)
                if cat_series[k].any()
            },
            "by_source": {
                str(source_labels.get(key, key)): [int(v) for v in src_series[k]]
                for k, key in enumerate(loaded.source_keys)
                if src_series[k].any()
            },
            "by_area": {
                loaded.area_names[a]: [int(v) for v in area_table[a]] for a in range(n_areas)
            },
        },
        "hot_times": {
            "window": [
                dt.datetime.fromtimestamp(picture.hot_times_window[0], tz=dt.UTC)
                .date()
                .isoformat(),
                dt.datetime.fromtimestamp(picture.hot_times_window[1], tz=dt.UTC)
                .date()
                .isoformat(),
            ],
            "total": [int(v) for v in hot_times.total_observed],
            # reports with a time band only, spread evenly over the band's hours
            "band_only": picture.hot_times_band_only,
            "flag": [int(v) for v in hot_times.total_flag],
            "top": top_hours,
        },
        "hotspots": hotspots,
        "new_hotspots": new_hot,
        "changes": changes,
        "notes": [_note(note.as_dict()) for note in picture.notes],
    }
