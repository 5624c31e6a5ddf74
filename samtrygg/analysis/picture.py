"""A whole lägesbild from loaded arrays: counts, changes, hot spots, emerging hot spots, hot
times, rates and level suggestions, in one call.

:func:`compute_picture` is what the apps call. It takes one record per event (an observation
report or a police event), as arrays, never model instances:

==================  =========================================================================
``times``           when it happened: ``int64`` epoch seconds in UTC, or ``datetime64`` (UTC)
``categories``      ``int32`` category code per record, ``0 … n_categories − 1``
``areas``           ``int32`` area index per record, ``0 … n_areas − 1``, ``−1`` = outside all
                    areas. Optional when ``area_of_cell`` is given (then looked up from
                    ``cells``); when both are missing everything is one area (index 0).
``cells``           ``int64`` h3 cell id per record (resolution 9 in the apps), written when
                    the point was stored; ``0`` = the record has no usable point. Police events
                    are placed by kommun name only (their point is the kommun's centroid), so
                    they always carry ``0`` and never enter the cell-level hot spots.
``counts``          ``int`` number of incidents per record (a report may hold several);
                    default 1
``area_of_cell``    ``(cell_ids int64, area_index int32)``: the partnership's cell → area
                    table (built once from the area polygons); also gives each hot-spot cell
                    its area. Without it a cell's area is the most common area of its records.
``population``      inhabitants per area (``n_areas`` values), for rates per 100 000
``data_start``      UTC epoch seconds from which the data are complete; baseline periods that
                    begin earlier are left out. Default: the earliest of ``times``.
``bands``           ``int64`` length in seconds of each record's time band, centred on its
                    time (a report gave "kväll 17–22", not a time); ``0`` = an exact time.
                    Default: all exact. Hot times spread a band over its hours.
``grid_cells``      the cells of the study area (``int64``, unique); default: every cell with
                    at least one record in the analysed window (as ESRI's space–time cube,
                    which keeps only locations with data). Pass all cells of the kommun to
                    count the empty ones too.
``neighbors``       the contiguity matrix of ``grid_cells`` if already built (see
                    :func:`samtrygg.analysis.grid.neighbors_csr`); built here otherwise, which
                    is the only use of the h3 library in a picture.
``period``          :class:`Period`: the unit (``week``, ``month``, ``tertial``, ``year``) and
                    which one, e.g. ``Period.week(2024, 47)``
``settings``        :class:`PictureSettings`: baseline length, trend steps, levels of
                    significance, the level rule
==================  =========================================================================

What it computes (each step is one module; see their docstrings for formulas and references):

1. **Counts** per area and period over the window from the earliest baseline period to the
   current one (:mod:`.binning`, Swedish local time), and per area and category in the current
   period.
2. **Change** (:mod:`.change`): the current period against the previous ``N`` periods (default
   8 weeks, 6 months, 3 tertials or 3 years) and the same period last year, exact Poisson or
   negative binomial, BH over areas: *mer än vanligt / som vanligt / mindre än vanligt*.
3. **Hot spots** (:mod:`.hotspots`): Gi* of the cells' counts in the current period.
4. **Emerging hot spots** (:mod:`.emerging`): Gi* per cell for each of the last ``trend_steps``
   steps of ``trend_unit`` (default 12 weeks for a weekly picture, otherwise 12 months) ending
   with the current period (steps that begin before ``data_start`` are left out), the
   Mann–Kendall trend and ESRI's patterns.
5. **Hot times** (:mod:`.hottimes`): hour of week × category over the same window as 4. A
   record with a time band counts evenly over the band's hours
   (:func:`.hottimes.spread_over_hours`); ``hot_times_band_only`` says how many had a band.
6. **Rates** (:mod:`.rates`) per 100 000 inhabitants and year in the current period, when
   ``population`` is given.
7. **Level suggestions** (:mod:`.levels`) per area, with the reasons as keys.

The result is plain dataclasses of numpy arrays and Python values. Notes about the
computation are codes with parameters (:class:`Note`); the apps word them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt

from samtrygg.analysis._types import Int8Array, Int32Array, IntArray
from samtrygg.analysis.binning import (
    Unit,
    areas_of_cells,
    as_epoch_seconds,
    hour_of_week_exposure,
    local_seconds,
    period_end,
    period_index,
    period_label,
    period_label_sv,
    period_of,
    period_start,
    same_period_last_year,
)
from samtrygg.analysis.change import ChangeResult, compare_to_baseline
from samtrygg.analysis.emerging import EmergingResult, Pattern, emerging_hotspots
from samtrygg.analysis.hotspots import GiStarResult, SparseMatrix, gi_star
from samtrygg.analysis.hottimes import HotTimesResult, hot_times, spread_over_hours
from samtrygg.analysis.levels import AreaLevels, LevelRule, suggest_levels
from samtrygg.analysis.rates import RateResult, rates_per_100k

__all__ = [
    "AreaCounts",
    "CellAnalysis",
    "Note",
    "NoteCode",
    "Period",
    "Picture",
    "PictureSettings",
    "compute_picture",
]

_DAY = 86_400.0
_YEAR = 365.2425 * _DAY
DEFAULT_BASELINE: dict[str, int] = {"week": 8, "month": 6, "tertial": 3, "year": 3}
DEFAULT_TREND_UNIT: dict[str, Unit] = {
    "week": "week",
    "month": "month",
    "tertial": "month",
    "year": "month",
}
GROWING = (Pattern.NEW_HOT, Pattern.CONSECUTIVE_HOT, Pattern.INTENSIFYING_HOT)


@dataclass(frozen=True, slots=True)
class Period:
    """One period of the picture: ``unit`` and its ``index`` (see :mod:`.binning`)."""

    unit: Unit
    index: int

    def __post_init__(self) -> None:
        if self.unit not in DEFAULT_BASELINE:
            raise ValueError(f"unknown period unit {self.unit!r}")

    @classmethod
    def week(cls, iso_year: int, week: int) -> Period:
        return cls("week", period_of("week", iso_year, week))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls("month", period_of("month", year, month))

    @classmethod
    def tertial(cls, year: int, tertial: int) -> Period:
        return cls("tertial", period_of("tertial", year, tertial))

    @classmethod
    def year(cls, year: int) -> Period:
        return cls("year", period_of("year", year))

    @classmethod
    def containing(cls, unit: Unit, time_utc: int) -> Period:
        """The period of ``unit`` that contains the UTC instant ``time_utc`` (epoch seconds)."""
        return cls(unit, int(period_index(np.asarray([time_utc]), unit)[0]))

    @property
    def start(self) -> int:
        """UTC epoch seconds of the first instant (local midnight)."""
        return int(period_start(self.index, self.unit))

    @property
    def end(self) -> int:
        """UTC epoch seconds of the end (exclusive)."""
        return int(period_end(self.index, self.unit))

    @property
    def label(self) -> str:
        return period_label(self.index, self.unit)

    @property
    def label_sv(self) -> str:
        return period_label_sv(self.index, self.unit)


@dataclass(frozen=True, slots=True)
class PictureSettings:
    """Choices behind a picture; the defaults are documented in docs/analysis.md."""

    baseline_periods: int | None = None
    same_period_last_year: bool = True
    trend_unit: Unit | None = None
    trend_steps: int = 12
    ring: int = 1
    alpha: float = 0.05
    emerging_alpha: float = 0.10
    trend_alpha: float = 0.05
    dispersion_alpha: float = 0.05
    level_rule: LevelRule = field(default_factory=LevelRule)


@dataclass(frozen=True, slots=True)
class AreaCounts:
    """``counts[a, j]``: events in area ``a`` and period ``periods[j]`` (the window from the
    earliest baseline period to the current one, which is the last column);
    ``baseline_columns`` are the columns used as baseline."""

    unit: Unit
    periods: IntArray
    labels: tuple[str, ...]
    counts: IntArray
    baseline_columns: IntArray


@dataclass(frozen=True, slots=True)
class CellAnalysis:
    """Cell-level results; row ``i`` of every array is the h3 cell ``cells[i]``.

    ``current_counts`` and ``hotspots`` are for the current period; ``step_counts`` (cells ×
    steps) and ``emerging`` for the ``steps`` of ``step_unit`` ending with it.
    """

    cells: IntArray
    area: Int32Array
    current_counts: IntArray
    hotspots: GiStarResult
    hotspot_bins: Int8Array
    step_unit: Unit
    steps: IntArray
    step_labels: tuple[str, ...]
    step_counts: IntArray
    emerging: EmergingResult


@dataclass(frozen=True, slots=True)
class Picture:
    """A computed lägesbild. Per-area arrays have ``n_areas`` rows."""

    period: Period
    n_areas: int
    n_categories: int
    area_counts: AreaCounts
    category_counts: IntArray
    change: ChangeResult
    cells: CellAnalysis | None
    hot_times: HotTimesResult
    hot_times_window: tuple[int, int]
    hot_times_band_only: int
    rates: RateResult | None
    levels: AreaLevels
    notes: tuple[Note, ...]


class NoteCode(StrEnum):
    """What a note about the computation says; the apps word it (the engine writes no prose).

    Parameters: ``BASELINE_BEFORE_DATA_START`` ``unit`` and ``periods`` (the period indices
    left out); ``OUTSIDE_AREAS``, ``NO_POINT`` and ``OUTSIDE_STUDY_AREA`` ``n`` (events);
    ``FEW_STEPS`` ``steps``; the others none.
    """

    BASELINE_BEFORE_DATA_START = "baseline_before_data_start"
    OUTSIDE_AREAS = "outside_areas"
    NO_BASELINE = "no_baseline"
    STEPS_BEFORE_DATA_START = "steps_before_data_start"
    FEW_STEPS = "few_steps"
    NO_POINT = "no_point"
    OUTSIDE_STUDY_AREA = "outside_study_area"


@dataclass(frozen=True, slots=True)
class Note:
    """A note about the computation: a :class:`NoteCode` and its parameters (JSON-able)."""

    code: NoteCode
    params: tuple[tuple[str, int | str | tuple[int, ...]], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": str(self.code),
            "params": {k: list(v) if isinstance(v, tuple) else v for k, v in self.params},
        }


def _codes(values: npt.ArrayLike, n: int, upper: int, name: str, allow_missing: bool) -> IntArray:
    arr = np.asarray(values)
    if arr.shape != (n,):
        raise ValueError(f"{name} must have one value per record ({n}), got shape {arr.shape}")
    if n and not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(f"{name} must be integer codes")
    codes = arr.astype(np.int64, copy=False)
    low = -1 if allow_missing else 0
    if n and (codes.min() < low or codes.max() >= upper):
        raise ValueError(f"{name} must lie in [{low}, {upper})")
    return codes


def _weights(counts: npt.ArrayLike | None, n: int) -> IntArray | None:
    if counts is None:
        return None
    w = np.asarray(counts)
    if w.shape != (n,):
        raise ValueError("counts must have one value per record")
    if n and (not np.issubdtype(w.dtype, np.integer) or w.min() < 0):
        raise ValueError("counts must be non-negative integers")
    return w.astype(np.int64, copy=False)


def _bincount(keys: IntArray, weights: IntArray | None, size: int) -> IntArray:
    if weights is None:
        return np.bincount(keys, minlength=size).astype(np.int64, copy=False)
    return np.rint(np.bincount(keys, weights=weights, minlength=size)).astype(np.int64)


def _sub(weights: IntArray | None, selection: npt.NDArray[Any]) -> IntArray | None:
    """The weights of the selected records (a mask or positions), or None for all-ones."""
    return None if weights is None else weights[selection]


def compute_picture(
    times: npt.ArrayLike,
    categories: npt.ArrayLike,
    *,
    period: Period,
    n_categories: int,
    areas: npt.ArrayLike | None = None,
    cells: npt.ArrayLike | None = None,
    counts: npt.ArrayLike | None = None,
    area_of_cell: tuple[npt.ArrayLike, npt.ArrayLike] | None = None,
    n_areas: int | None = None,
    population: npt.ArrayLike | None = None,
    data_start: int | None = None,
    bands: npt.ArrayLike | None = None,
    grid_cells: npt.ArrayLike | None = None,
    neighbors: SparseMatrix | None = None,
    settings: PictureSettings | None = None,
) -> Picture:
    """Compute a whole lägesbild from loaded arrays (see the module docstring for the inputs)."""
    cfg = settings if settings is not None else PictureSettings()
    t = as_epoch_seconds(times).ravel()
    n = t.size
    if n_categories < 1:
        raise ValueError("n_categories must be at least 1")
    cat = _codes(categories, n, n_categories, "categories", allow_missing=False)
    w = _weights(counts, n)
    cell_ids = None if cells is None else np.asarray(cells, dtype=np.int64).ravel()
    if cell_ids is not None and cell_ids.shape != (n,):
        raise ValueError("cells must have one value per record")
    if areas is not None:
        upper = n_areas if n_areas is not None else np.iinfo(np.int32).max
        area = _codes(areas, n, upper, "areas", allow_missing=True)
    elif area_of_cell is not None and cell_ids is not None:
        area = areas_of_cells(cell_ids, area_of_cell[0], area_of_cell[1]).astype(np.int64)
    else:
        area = np.zeros(n, dtype=np.int64)
    if n_areas is None:
        n_areas = max(int(area.max()) + 1 if n else 1, 1)
    notes: list[Note] = []

    # --- counts per area and period ---------------------------------------------------------
    unit = period.unit
    loc = local_seconds(t)
    pidx = period_index(loc, unit, local=True)
    n_base = cfg.baseline_periods if cfg.baseline_periods is not None else DEFAULT_BASELINE[unit]
    wanted = set(range(period.index - n_base, period.index))
    if cfg.same_period_last_year:
        wanted.add(same_period_last_year(period.index, unit))
    first = min([*wanted, period.index])
    window = np.arange(first, period.index + 1, dtype=np.int64)
    starts = period_start(window, unit)
    ends = period_end(window, unit)
    start_of_data = (
        int(data_start) if data_start is not None else (int(t.min()) if n else period.start)
    )
    complete = starts >= start_of_data
    base_cols = np.asarray(sorted(b - first for b in wanted if complete[b - first]), dtype=np.int64)
    left_out = sorted(b for b in wanted if not complete[b - first])
    if left_out:
        notes.append(
            Note(
                NoteCode.BASELINE_BEFORE_DATA_START,
                (("unit", unit), ("periods", tuple(int(b) for b in left_out))),
            )
        )
    size = window.size
    in_window = (pidx >= first) & (pidx <= period.index) & (area >= 0)
    table = _bincount(
        area[in_window] * size + (pidx[in_window] - first), _sub(w, in_window), n_areas * size
    ).reshape(n_areas, size)
    outside = int(((pidx >= first) & (pidx <= period.index) & (area < 0)).sum())
    if outside:
        notes.append(Note(NoteCode.OUTSIDE_AREAS, (("n", outside),)))
    area_counts = AreaCounts(
        unit=unit,
        periods=window,
        labels=tuple(period_label(int(i), unit) for i in window),
        counts=table,
        baseline_columns=base_cols,
    )

    # --- change -----------------------------------------------------------------------------
    lengths = (ends - starts) / _DAY
    change = compare_to_baseline(
        table[:, -1],
        table[:, base_cols],
        current_exposure=float(lengths[-1]),
        baseline_exposure=lengths[base_cols],
        alpha=cfg.alpha,
        dispersion_alpha=cfg.dispersion_alpha,
    )
    if base_cols.size == 0:
        notes.append(Note(NoteCode.NO_BASELINE))

    current = (pidx == period.index) & (area >= 0)
    category_counts = _bincount(
        area[current] * n_categories + cat[current], _sub(w, current), n_areas * n_categories
    ).reshape(n_areas, n_categories)

    # --- the trend window: emerging hot spots and hot times -----------------------------------
    step_unit: Unit = cfg.trend_unit or DEFAULT_TREND_UNIT[unit]
    if cfg.trend_steps < 1:
        raise ValueError("trend_steps must be at least 1")
    last_step = int(period_index(np.asarray([period.end - 1]), step_unit)[0])
    steps = np.arange(last_step - cfg.trend_steps + 1, last_step + 1, dtype=np.int64)
    complete_steps = period_start(steps, step_unit) >= start_of_data
    if not complete_steps.all():
        steps = steps[complete_steps] if complete_steps.any() else steps[-1:]
        notes.append(Note(NoteCode.STEPS_BEFORE_DATA_START))
    step_of = pidx if step_unit == unit else period_index(loc, step_unit, local=True)
    in_steps = (step_of >= steps[0]) & (step_of <= steps[-1])
    window_start = int(period_start(steps[0], step_unit))
    window_end = int(period_end(steps[-1], step_unit))
    if steps.size < 10:
        notes.append(Note(NoteCode.FEW_STEPS, (("steps", int(steps.size)),)))

    exposure_start = max(window_start, start_of_data)
    exposure = (
        hour_of_week_exposure(exposure_start, window_end)
        if exposure_start < window_end
        else hour_of_week_exposure(window_start, window_end)
    )
    band_seconds = (
        np.zeros(n, dtype=np.int64) if bands is None else np.asarray(bands, dtype=np.int64).ravel()
    )
    if band_seconds.shape != (n,):
        raise ValueError("bands must have one value per record")
    share_hours, share_weights, share_record = spread_over_hours(
        loc[in_steps], band_seconds[in_steps], _sub(w, in_steps)
    )
    times_result = hot_times(
        share_hours,
        cat[in_steps][share_record],
        n_categories,
        weights=share_weights,
        exposure=exposure,
        alpha=cfg.alpha,
    )
    band_only = int((band_seconds[in_steps] > 0).sum())

    # --- cells: hot spots and emerging hot spots -----------------------------------------------
    cell_result: CellAnalysis | None = None
    hot_per_area: IntArray | None = None
    growing_per_area: IntArray | None = None
    if cell_ids is not None:
        has_point = cell_ids != 0
        no_point = int((~has_point & (in_window | in_steps)).sum())
        if no_point:
            notes.append(Note(NoteCode.NO_POINT, (("n", no_point),)))
        wanted_cells = has_point & (in_steps | (pidx == period.index))
        cell_result = _cells(
            cell_ids,
            wanted_cells,
            pidx == period.index,
            step_of - steps[0],
            in_steps,
            w,
            area,
            n_areas,
            area_of_cell,
            grid_cells,
            neighbors,
            cfg,
            step_unit,
            steps,
            notes,
        )
        if cell_result is not None:
            cell_area = cell_result.area
            inside = cell_area >= 0
            hot = (cell_result.hotspots.z > 0) & (cell_result.hotspots.q <= cfg.alpha)
            growing = np.isin(cell_result.emerging.pattern, [int(p) for p in GROWING])
            hot_per_area = np.bincount(cell_area[hot & inside], minlength=n_areas)
            growing_per_area = np.bincount(cell_area[growing & inside], minlength=n_areas)

    # --- rates and levels ---------------------------------------------------------------------
    rates = None
    if population is not None:
        years = (period.end - period.start) / _YEAR
        rates = rates_per_100k(table[:, -1], np.asarray(population), years=years, alpha=cfg.alpha)
    levels = suggest_levels(change, hot_per_area, growing_per_area, rule=cfg.level_rule)
    return Picture(
        period=period,
        n_areas=n_areas,
        n_categories=n_categories,
        area_counts=area_counts,
        category_counts=category_counts,
        change=change,
        cells=cell_result,
        hot_times=times_result,
        hot_times_window=(window_start, window_end),
        hot_times_band_only=band_only,
        rates=rates,
        levels=levels,
        notes=tuple(notes),
    )


def _dense_index(values: IntArray) -> tuple[IntArray, IntArray]:
    """(sorted distinct values, position of each value among them): ``np.unique`` with
    ``return_inverse``, from one ``argsort``."""
    order = np.argsort(values)
    ordered = values[order]
    new = np.empty(ordered.size, dtype=np.bool_)
    new[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=new[1:])
    inverse = np.empty(values.size, dtype=np.int64)
    inverse[order] = np.cumsum(new) - 1
    return ordered[new], inverse


def _majority_area(
    index: IntArray, record_area: IntArray, n_cells: int, n_areas: int
) -> Int32Array:
    """The most common area of each cell's records (ties: the lowest index; −1 without records).

    Records of one cell nearly always share its area, so the counting is done only for the
    cells whose records disagree.
    """
    lowest = np.full(n_cells, n_areas, dtype=np.int64)
    highest = np.full(n_cells, -2, dtype=np.int64)
    np.minimum.at(lowest, index, record_area)
    np.maximum.at(highest, index, record_area)
    cell_area = np.where(highest >= lowest, lowest, -1)
    disagree = highest > lowest
    if disagree.any():
        chosen = disagree[index]
        width = n_areas + 1
        keys, counts = np.unique(
            index[chosen] * width + record_area[chosen] + 1, return_counts=True
        )
        cell_of, area_of = keys // width, keys % width - 1
        order = np.lexsort((area_of, -counts, cell_of))
        first = order[np.append(True, cell_of[order][1:] != cell_of[order][:-1])]
        cell_area[cell_of[first]] = area_of[first]
    return cell_area.astype(np.int32)


def _cells(
    cell_ids: IntArray,
    wanted: npt.NDArray[np.bool_],
    in_current: npt.NDArray[np.bool_],
    step_offset: IntArray,
    in_steps: npt.NDArray[np.bool_],
    w: IntArray | None,
    area: IntArray,
    n_areas: int,
    area_of_cell: tuple[npt.ArrayLike, npt.ArrayLike] | None,
    grid_cells: npt.ArrayLike | None,
    neighbors: SparseMatrix | None,
    cfg: PictureSettings,
    step_unit: Unit,
    steps: IntArray,
    notes: list[Note],
) -> CellAnalysis | None:
    record_cells = cell_ids[wanted]
    records = np.flatnonzero(wanted)
    if grid_cells is None:
        if neighbors is not None:
            raise ValueError("neighbors needs the grid_cells it was built for")
        if record_cells.size == 0:
            return None
        domain, index = _dense_index(record_cells)
    else:
        domain = np.asarray(grid_cells, dtype=np.int64).ravel()
        if domain.size == 0:
            return None
        order = np.argsort(domain, kind="stable")
        sorted_domain = domain[order]
        if np.any(sorted_domain[1:] == sorted_domain[:-1]):
            raise ValueError("grid_cells must be unique")
        pos = np.minimum(np.searchsorted(sorted_domain, record_cells), sorted_domain.size - 1)
        found = sorted_domain[pos] == record_cells
        if not found.all():
            notes.append(Note(NoteCode.OUTSIDE_STUDY_AREA, (("n", int((~found).sum())),)))
        index = order[pos[found]]
        records = records[found]
    n_cells = domain.size
    n_steps = steps.size

    current = in_current[records]
    current_counts = _bincount(index[current], _sub(w, records[current]), n_cells)
    stepped = in_steps[records]
    step_counts = _bincount(
        index[stepped] * n_steps + step_offset[records[stepped]],
        _sub(w, records[stepped]),
        n_cells * n_steps,
    ).reshape(n_cells, n_steps)

    if neighbors is None:
        from samtrygg.analysis.grid import neighbors_csr  # the only h3-dependent step

        neighbors = neighbors_csr(domain, cfg.ring)
        validate = False
    else:
        validate = True
    hotspots = gi_star(current_counts.astype(np.float64), neighbors, validate=validate)
    emerging = emerging_hotspots(
        step_counts,
        neighbors,
        alpha=cfg.emerging_alpha,
        trend_alpha=cfg.trend_alpha,
        validate=validate,
    )
    if area_of_cell is not None:
        cell_area = areas_of_cells(domain, area_of_cell[0], area_of_cell[1])
    else:
        cell_area = _majority_area(index, area[records], n_cells, n_areas)
    return CellAnalysis(
        cells=domain,
        area=cell_area,
        current_counts=current_counts,
        hotspots=hotspots,
        hotspot_bins=hotspots.bins(),
        step_unit=step_unit,
        steps=steps,
        step_labels=tuple(period_label(int(s), step_unit) for s in steps),
        step_counts=step_counts,
        emerging=emerging,
    )
