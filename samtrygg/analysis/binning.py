"""Binning of times and cells, vectorised, in Europe/Stockholm time.

Times come in as UTC (``int64`` epoch seconds, or ``datetime64`` of any unit, taken as UTC) and
are binned in Swedish local time, as the users see them: a report at 23:30 UTC on a Sunday in
summer belongs to Monday in Sweden. The UTC offset of every instant is read from a precomputed
table of the zone's transitions with ``np.searchsorted``; the table is built once from the IANA
time zone database (``zoneinfo``) and falls back to the Swedish/EU summer-time rule when the
database is missing (CET +1 h; summer time +2 h from the last Sunday of March 01:00 UTC (6 April
in 1980) to the last Sunday of September (1980–1995) or October (from 1996) 01:00 UTC).

Period units and their integer *period index* (consecutive integers, so ``index - 1`` is the
previous period and differences count periods):

* ``"week"``: ISO 8601 weeks, Monday to Sunday; index = weeks since Monday 1969-12-29, so the
  Monday of week index ``w`` is local day ``7·w − 3`` (days since 1970-01-01). The ISO year and
  week number (``vecka 47``) are those of the week's Thursday.
* ``"month"``: index = ``year·12 + (month − 1)``.
* ``"tertial"``: four-month thirds of the year (jan–apr, maj–aug, sep–dec); index =
  ``year·3 + (tertial − 1)``.
* ``"year"``: index = the calendar year.

Hour of week: ``weekday·24 + hour`` with Monday 00–01 = 0 and Sunday 23–24 = 167, in local time.
On the day summer time starts, local hour 02 does not exist; on the day it ends, local hour 02
happens twice. Both are counted as they fall.
"""

from __future__ import annotations

import calendar
import functools
from datetime import UTC, datetime
from typing import Literal, get_args

import numpy as np
import numpy.typing as npt

from samtrygg.analysis._types import Int32Array, IntArray

__all__ = [
    "HOURS_PER_WEEK",
    "MONTHS_SV",
    "TIME_ZONE",
    "Unit",
    "areas_of_cells",
    "as_epoch_seconds",
    "hour_of_week",
    "hour_of_week_exposure",
    "iso_week",
    "local_seconds",
    "local_to_utc",
    "period_end",
    "period_index",
    "period_label",
    "period_label_sv",
    "period_of",
    "period_parts",
    "period_start",
    "same_period_last_year",
    "utc_offset",
]

TIME_ZONE = "Europe/Stockholm"
HOURS_PER_WEEK = 168
Unit = Literal["week", "month", "tertial", "year"]
UNITS: tuple[str, ...] = get_args(Unit)
_DAY = 86_400
MONTHS_SV = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)


def _check_unit(unit: str) -> None:
    if unit not in UNITS:
        raise ValueError(f"unknown period unit {unit!r}; expected one of {UNITS}")


# --- the UTC offset table ------------------------------------------------------------------


def _table_from_zoneinfo(first_year: int, last_year: int) -> tuple[IntArray, IntArray]:
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(TIME_ZONE)

    def offset(t: int) -> int:
        delta = datetime.fromtimestamp(t, tz=zone).utcoffset()
        assert delta is not None
        return int(delta.total_seconds())

    starts = [int(datetime(first_year, 1, 1, tzinfo=UTC).timestamp())]
    offsets = [offset(starts[0])]
    for year in range(first_year, last_year + 1):
        for month in range(1, 13):
            nxt = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=UTC).timestamp()
            hi = int(nxt)
            lo = starts[-1] if starts[-1] > hi - 32 * _DAY else hi - 32 * _DAY
            # find every change inside (lo, hi] by repeated bisection
            while offset(hi) != offsets[-1]:
                a, b = lo, hi
                while b - a > 1:
                    mid = (a + b) // 2
                    if offset(mid) == offsets[-1]:
                        a = mid
                    else:
                        b = mid
                starts.append(b)
                offsets.append(offset(b))
                lo = b
    return np.asarray(starts, dtype=np.int64), np.asarray(offsets, dtype=np.int64)


def _last_sunday(year: int, month: int) -> int:
    last_day = calendar.monthrange(year, month)[1]
    weekday = calendar.weekday(year, month, last_day)  # Monday = 0
    return last_day - (weekday + 1) % 7


def _table_from_rule(first_year: int, last_year: int) -> tuple[IntArray, IntArray]:
    starts = [int(datetime(first_year, 1, 1, tzinfo=UTC).timestamp())]
    offsets = [3600]
    for year in range(max(first_year, 1980), last_year + 1):
        end_month = 9 if year <= 1995 else 10
        begin = datetime(year, 3, _last_sunday(year, 3), 1, tzinfo=UTC)
        if year == 1980:  # Sweden's first summer time under the current rules began 6 April
            begin = datetime(1980, 4, 6, 1, tzinfo=UTC)
        end = datetime(year, end_month, _last_sunday(year, end_month), 1, tzinfo=UTC)
        starts += [int(begin.timestamp()), int(end.timestamp())]
        offsets += [7200, 3600]
    return np.asarray(starts, dtype=np.int64), np.asarray(offsets, dtype=np.int64)


@functools.cache
def _offset_table() -> tuple[IntArray, IntArray]:
    """(transition instants in UTC epoch seconds, offset in seconds from that instant on)."""
    try:
        return _table_from_zoneinfo(1970, 2100)
    except Exception:  # no time zone database on this machine
        return _table_from_rule(1970, 2100)


# --- instants -----------------------------------------------------------------------------


def as_epoch_seconds(times: npt.ArrayLike) -> IntArray:
    """UTC epoch seconds as ``int64`` from integers or ``datetime64`` (any unit, read as UTC)."""
    arr = np.asarray(times)
    if np.issubdtype(arr.dtype, np.datetime64):
        return arr.astype("datetime64[s]").astype(np.int64)
    if arr.size == 0:
        return arr.astype(np.int64)
    if not np.issubdtype(arr.dtype, np.integer):
        raise TypeError("times must be int64 epoch seconds (UTC) or datetime64")
    return arr.astype(np.int64, copy=False)


def utc_offset(times: npt.ArrayLike) -> IntArray:
    """UTC offset in seconds (3600 or 7200) in Europe/Stockholm at each UTC instant."""
    t = as_epoch_seconds(times)
    starts, offsets = _offset_table()
    if t.size > 1024:  # search only the transitions between the first and the last instant
        first = max(int(np.searchsorted(starts, t.min(), side="right")) - 1, 0)
        last = int(np.searchsorted(starts, t.max(), side="right"))
        starts, offsets = starts[first:last], offsets[first:last]
    pos = np.maximum(np.searchsorted(starts, t, side="right") - 1, 0)
    return offsets[pos]


def local_seconds(times: npt.ArrayLike) -> IntArray:
    """Seconds since 1970-01-01 00:00 on the Swedish wall clock."""
    t = as_epoch_seconds(times)
    return t + utc_offset(t)


def local_to_utc(local: npt.ArrayLike) -> IntArray:
    """UTC epoch seconds of Swedish wall-clock times (exact away from the 02–03 transition hour).

    Used for period boundaries, which are local midnights and never fall in a transition hour.
    """
    loc = np.asarray(local, dtype=np.int64)
    utc = loc - utc_offset(loc - 3600)
    return loc - utc_offset(utc)


def _local_days(times: npt.ArrayLike) -> IntArray:
    return local_seconds(times) // _DAY


def _months_of_days(days: IntArray) -> IntArray:
    """Absolute month index ``year·12 + month − 1`` of local days since 1970-01-01.

    Many days: one calendar conversion per distinct day of their range, then a table look-up.
    """
    if days.size > 4096:
        low, high = int(days.min()), int(days.max())
        if high - low < days.size:
            table = _months_of_days(np.arange(low, high + 1, dtype=np.int64))
            return table[days - low]
    months_since_1970 = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    return months_since_1970 + 1970 * 12


def hour_of_week(times: npt.ArrayLike, *, local: bool = False) -> IntArray:
    """Hour of the week in local time, Monday 00 = 0 … Sunday 23 = 167.

    ``local=True``: ``times`` are already :func:`local_seconds` (saves the conversion).
    """
    loc = np.asarray(times, dtype=np.int64) if local else local_seconds(times)
    days = loc // _DAY
    weekday = (days + 3) % 7
    return weekday * 24 + (loc - days * _DAY) // 3600


def hour_of_week_exposure(start: int, end: int) -> IntArray:
    """How many times each hour of the week occurs in ``[start, end)`` (UTC epoch seconds).

    Whole hours only; the summer-time hours that are skipped or repeated are counted as they
    happen, so a window over one spring Sunday has no 02 hour.
    """
    first = -(-int(start) // 3600) * 3600
    hours = np.arange(first, int(end), 3600, dtype=np.int64)
    return np.bincount(hour_of_week(hours), minlength=HOURS_PER_WEEK).astype(np.int64)


def iso_week(times: npt.ArrayLike) -> tuple[IntArray, IntArray]:
    """ISO 8601 (year, week number) of each instant in local time."""
    return _iso_of_week_index((_local_days(times) + 3) // 7)


def _iso_of_week_index(index: IntArray) -> tuple[IntArray, IntArray]:
    thursday = 7 * np.asarray(index, dtype=np.int64)
    year_month = _months_of_days(thursday)
    year = year_month // 12
    jan1 = (year - 1970).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64)
    return year, (thursday - jan1) // 7 + 1


def period_index(times: npt.ArrayLike, unit: Unit, *, local: bool = False) -> IntArray:
    """Period index (see the module docstring) of each UTC instant, in local time.

    ``local=True``: ``times`` are already :func:`local_seconds` (saves the conversion).
    """
    _check_unit(unit)
    days = np.asarray(times, dtype=np.int64) // _DAY if local else _local_days(times)
    if unit == "week":
        return (days + 3) // 7
    months = _months_of_days(days)
    if unit == "month":
        return months
    if unit == "tertial":
        return (months // 12) * 3 + (months % 12) // 4
    return months // 12


def _first_local_day(index: npt.ArrayLike, unit: Unit) -> IntArray:
    idx = np.asarray(index, dtype=np.int64)
    if unit == "week":
        return 7 * idx - 3
    if unit == "month":
        months = idx
    elif unit == "tertial":
        months = (idx // 3) * 12 + (idx % 3) * 4
    else:
        months = idx * 12
    return (months - 1970 * 12).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)


def period_start(index: npt.ArrayLike, unit: Unit) -> IntArray:
    """UTC epoch seconds of the local midnight that starts each period."""
    _check_unit(unit)
    return local_to_utc(_first_local_day(index, unit) * _DAY)


def period_end(index: npt.ArrayLike, unit: Unit) -> IntArray:
    """UTC epoch seconds of the local midnight that ends each period (exclusive)."""
    return period_start(np.asarray(index, dtype=np.int64) + 1, unit)


def period_of(unit: Unit, year: int, number: int = 1) -> int:
    """Period index of ``(year, number)``: ISO week, month 1–12, tertial 1–3, or the year."""
    _check_unit(unit)
    if unit == "year":
        return int(year)
    if unit == "month":
        if not 1 <= number <= 12:
            raise ValueError("month must be 1–12")
        return int(year) * 12 + number - 1
    if unit == "tertial":
        if not 1 <= number <= 3:
            raise ValueError("tertial must be 1–3")
        return int(year) * 3 + number - 1
    # ISO week: the week containing 4 January is week 1
    jan4 = int(np.datetime64(f"{int(year):04d}-01-04", "D").astype(np.int64))
    index = (jan4 + 3) // 7 + number - 1
    if period_parts(index, "week") != (year, number):
        raise ValueError(f"{year} has no ISO week {number}")
    return int(index)


@functools.lru_cache(maxsize=8192)
def period_parts(index: int, unit: Unit) -> tuple[int, int]:
    """``(year, number)`` of a period, the inverse of :func:`period_of`: the ISO year and
    week, the year and month 1–12, the year and tertial 1–3, or the year and 1. Kept for
    the periods asked before: a picture labels the same few hundred periods again and again,
    and an ISO week takes numpy's calendar arithmetic."""
    _check_unit(unit)
    if unit == "week":
        iso_year, iso_number = _iso_of_week_index(np.asarray([index]))
        return int(iso_year[0]), int(iso_number[0])
    if unit == "month":
        return index // 12, index % 12 + 1
    if unit == "tertial":
        return index // 3, index % 3 + 1
    return int(index), 1


def same_period_last_year(index: int, unit: Unit) -> int:
    """The same period one year earlier (ISO week 53 maps to week 52 when last year had none)."""
    _check_unit(unit)
    if unit == "year":
        return index - 1
    if unit == "month":
        return index - 12
    if unit == "tertial":
        return index - 3
    year, week = period_parts(index, "week")
    try:
        return period_of("week", year - 1, week)
    except ValueError:
        return period_of("week", year - 1, 52)


def period_label(index: int, unit: Unit) -> str:
    """Machine-readable label: ``2024-W47``, ``2024-11``, ``2024-T3`` or ``2024``."""
    year, number = period_parts(index, unit)
    if unit == "week":
        return f"{year}-W{number:02d}"
    if unit == "month":
        return f"{year}-{number:02d}"
    if unit == "tertial":
        return f"{year}-T{number}"
    return str(year)


def period_label_sv(index: int, unit: Unit) -> str:
    """Swedish label: ``vecka 47 2024``, ``november 2024``, ``tertial 3 2024`` or ``2024``."""
    year, number = period_parts(index, unit)
    if unit == "week":
        return f"vecka {number} {year}"
    if unit == "month":
        return f"{MONTHS_SV[number - 1]} {year}"
    if unit == "tertial":
        return f"tertial {number} {year}"
    return str(year)


# --- cells to areas -----------------------------------------------------------------------


def areas_of_cells(
    cells: npt.ArrayLike,
    area_cells: npt.ArrayLike,
    area_ids: npt.ArrayLike,
    missing: int = -1,
) -> Int32Array:
    """Area index of each cell from a cell → area table, ``missing`` where the cell is absent.

    ``area_cells`` (``int64`` h3 ids, unique) and ``area_ids`` (``int32``) are the table the apps
    build once per partnership from the area polygons; the lookup is one ``np.searchsorted``.
    """
    keys = np.asarray(area_cells, dtype=np.int64)
    values = np.asarray(area_ids, dtype=np.int32)
    if keys.shape != values.shape or keys.ndim != 1:
        raise ValueError("area_cells and area_ids must be 1-d arrays of the same length")
    query = np.asarray(cells, dtype=np.int64)
    out = np.full(query.shape, missing, dtype=np.int32)
    if keys.size == 0 or query.size == 0:
        return out
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    if np.any(sorted_keys[1:] == sorted_keys[:-1]):
        raise ValueError("a cell appears twice in the cell → area table")
    pos = np.searchsorted(sorted_keys, query)
    np.minimum(pos, sorted_keys.size - 1, out=pos)
    found = sorted_keys[pos] == query
    out[found] = values[order[pos[found]]]
    return out
