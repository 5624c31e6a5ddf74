"""Hot times: when in the week each category happens more (or less) than expected.

The counts form a matrix ``O`` of 168 hours of the week (Monday 00 = 0, local time; see
:mod:`samtrygg.analysis.binning`) × ``K`` categories, with row totals ``R_h``, column totals
``C_k`` and grand total ``N``.

* **Category × hour** (is this category's weekly rhythm different from that of everything
  else?): under independence the expected count is ``E_hk = R_h · C_k / N``, and conditional on
  the category total, ``O_hk ~ Binomial(C_k, R_h / N)``. Each cell is tested with the exact
  binomial test (two-sided, twice the smaller tail) and the ``168·K`` p-values form one
  Benjamini–Hochberg family.
* **Hour of week, all categories** (when is it busy at all?): ``O_h ~ Binomial(N, e_h / Σ e)``
  where ``e_h`` is how many times hour ``h`` occurs in the analysed window (exposure; equal for
  all hours over whole weeks). The 168 p-values form a second BH family.

A cell is *more than expected* (+1) when ``q ≤ alpha`` and ``O > E``, *less* (−1) when
``q ≤ alpha`` and ``O < E``, else 0. The test treats ``R_h / N`` as known, which is accurate when
``N`` is much larger than ``C_k``; with one category only, ``E = O`` and nothing is flagged.

References: Benjamini & Hochberg (1995). For the conditional binomial view of a contingency
table under independence: A. Agresti (2013), Categorical Data Analysis, 3rd ed., §3.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from samtrygg.analysis._types import FloatArray, Int8Array, IntArray
from samtrygg.analysis.binning import HOURS_PER_WEEK, hour_of_week
from samtrygg.analysis.change import binomial_two_sided
from samtrygg.analysis.fdr import bh_qvalues

__all__ = ["HotTimesResult", "hot_times", "spread_over_hours"]

_HOUR = 3600


@dataclass(frozen=True, slots=True)
class HotTimesResult:
    """``observed``, ``expected``, ``p``, ``q`` and ``flag`` (+1/0/−1) per hour × category
    (shape (168, K)), and the same for all categories per hour (``total_*``, shape (168,))."""

    observed: IntArray
    expected: FloatArray
    p: FloatArray
    q: FloatArray
    flag: Int8Array
    total_observed: IntArray
    total_expected: FloatArray
    total_p: FloatArray
    total_q: FloatArray
    total_flag: Int8Array


def spread_over_hours(
    local_times: npt.ArrayLike,
    band_seconds: npt.ArrayLike,
    weights: npt.ArrayLike | None = None,
) -> tuple[IntArray, FloatArray, IntArray]:
    """Each record's weight put on the hours of the week it may have happened in.

    ``local_times`` are :func:`binning.local_seconds`; ``band_seconds`` is the length of the
    record's time band, centred on its time (0: an exact time). An exact time gives its whole
    weight to its own hour. A band spreads the weight evenly over the whole hours it touches
    (kväll 17–22: a fifth to each of 17, 18, 19, 20 and 21), so no hour gets a peak that
    nobody observed: a band's midpoint is not a time anyone reported.

    Returns (hour of week per share, weight per share, index of the record of each share).
    """
    loc = np.asarray(local_times, dtype=np.int64).ravel()
    band = np.asarray(band_seconds, dtype=np.int64).ravel()
    if band.shape != loc.shape or (band.size and band.min() < 0):
        raise ValueError("band_seconds must be non-negative, one per record")
    w = (
        np.ones(loc.size, dtype=np.float64)
        if weights is None
        else np.asarray(weights, dtype=np.float64).ravel()
    )
    start = loc - band // 2
    first_hour = start // _HOUR
    last_hour = np.where(band > 0, -(-(start + band) // _HOUR) - 1, first_hour)
    n_hours = np.maximum(last_hour - first_hour + 1, 1)
    record = np.repeat(np.arange(loc.size, dtype=np.int64), n_hours)
    offsets = np.arange(record.size, dtype=np.int64) - np.repeat(
        np.cumsum(n_hours) - n_hours, n_hours
    )
    hours = (first_hour[record] + offsets) * _HOUR
    return hour_of_week(hours, local=True), w[record] / n_hours[record], record


def _flags(
    observed: npt.NDArray[np.int64], expected: FloatArray, q: FloatArray, alpha: float
) -> Int8Array:
    significant = q <= alpha
    flag = np.zeros(observed.shape, dtype=np.int8)
    flag[significant & (observed > expected)] = 1
    flag[significant & (observed < expected)] = -1
    return flag


def hot_times(
    hour_of_week: npt.ArrayLike,
    categories: npt.ArrayLike,
    n_categories: int,
    *,
    weights: npt.ArrayLike | None = None,
    exposure: npt.ArrayLike | None = None,
    alpha: float = 0.05,
) -> HotTimesResult:
    """Hot-times matrix from one record per event: its hour of week (0–167) and category code.

    ``weights`` (non-negative integers, default 1) count incidents per record; ``exposure``
    (168 values, default all equal) is how often each hour of week occurs in the window, e.g.
    :func:`binning.hour_of_week_exposure`.
    """
    hours = np.asarray(hour_of_week, dtype=np.int64).ravel()
    cats = np.asarray(categories, dtype=np.int64).ravel()
    if hours.shape != cats.shape:
        raise ValueError("hour_of_week and categories must have the same length")
    if n_categories < 1:
        raise ValueError("n_categories must be at least 1")
    if hours.size and (hours.min() < 0 or hours.max() >= HOURS_PER_WEEK):
        raise ValueError("hour_of_week must lie in 0–167")
    if cats.size and (cats.min() < 0 or cats.max() >= n_categories):
        raise ValueError("category codes must lie in [0, n_categories)")
    w = None
    if weights is not None:
        w = np.asarray(weights, dtype=np.float64).ravel()
        if w.shape != hours.shape or (w.size and (w.min() < 0 or not np.isfinite(w).all())):
            raise ValueError("weights must be finite, non-negative, one per record")
    flat = np.bincount(
        hours * n_categories + cats, weights=w, minlength=HOURS_PER_WEEK * n_categories
    )
    observed = np.rint(flat).astype(np.int64).reshape(HOURS_PER_WEEK, n_categories)

    rows = observed.sum(axis=1)
    cols = observed.sum(axis=0)
    total = int(rows.sum())
    hour_share = rows / total if total else np.zeros(HOURS_PER_WEEK, dtype=np.float64)
    expected = hour_share[:, None] * cols[None, :]
    p = binomial_two_sided(observed, np.broadcast_to(cols, observed.shape), hour_share[:, None])
    q = bh_qvalues(p)

    e = (
        np.ones(HOURS_PER_WEEK, dtype=np.float64)
        if exposure is None
        else np.asarray(exposure, dtype=np.float64)
    )
    if e.shape != (HOURS_PER_WEEK,) or np.any(e < 0) or not e.sum() > 0:
        raise ValueError("exposure must be 168 non-negative values, not all zero")
    share = e / e.sum()
    total_expected = share * total
    total_p = binomial_two_sided(rows, np.full(HOURS_PER_WEEK, total), share)
    total_q = bh_qvalues(total_p)
    return HotTimesResult(
        observed=observed,
        expected=expected,
        p=p,
        q=q,
        flag=_flags(observed, expected, q, alpha),
        total_observed=rows,
        total_expected=total_expected,
        total_p=total_p,
        total_q=total_q,
        total_flag=_flags(rows, total_expected, total_q, alpha),
    )
