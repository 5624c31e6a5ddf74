"""Rates per 100 000 inhabitants with exact Poisson confidence intervals, and the kommuner of a
län compared with each other and with the län.

* **Rate** of ``x`` events among ``P`` inhabitants over ``T`` years: ``100 000 · x / (P·T)``
  per 100 000 inhabitants and year.
* **Exact (Garwood) interval** for a Poisson count ``x`` at level ``1 − α``:
  ``[ G⁻¹(α/2; x, 1), G⁻¹(1 − α/2; x + 1, 1) ]`` with ``G⁻¹`` the gamma quantile (equivalently
  ``½·χ²_{2x, α/2}`` and ``½·χ²_{2x+2, 1−α/2}``); the lower limit is 0 when ``x = 0``. It is
  scaled like the rate. (Garwood 1936; Ulm 1990.)
* **Kommun against the rest of the län**: conditional on ``x_k + x_rest``, ``x_k ~
  Binomial(x_k + x_rest, P_k / (P_k + P_rest))`` under equal rates (the exact conditional test
  of two Poisson rates, Przyborowski & Wilenski 1940); the rate ratio to the rest of the län has
  an exact interval from the Clopper–Pearson interval ``[π_L, π_U]`` of the binomial share:
  ``RR = π / (1 − π) · P_rest / P_k``. The rate ratio to the whole län (``rate_k / rate_län``) is
  reported for display. BH over the kommuner of the län.
* **Kommun against kommun**: the same conditional test for each pair; BH over all pairs.

A *verdict* of +1/−1 marks a kommun (or a pair's first member) significantly above/below
(``q ≤ alpha``). Rates assume the events are independent (Poisson); clustered events (one
incident reported many times) make the intervals too narrow.

References: F. Garwood (1936), "Fiducial limits for the Poisson distribution", Biometrika
28:437–442. K. Ulm (1990), "A simple method to calculate the confidence interval of a
standardized mortality ratio", Am. J. Epidemiol. 131:373–375. C. J. Clopper & E. S. Pearson
(1934), Biometrika 26:404–413. Przyborowski & Wilenski (1940). Benjamini & Hochberg (1995).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import special

from samtrygg.analysis._types import FloatArray, Int8Array, IntArray
from samtrygg.analysis.change import binomial_two_sided
from samtrygg.analysis.fdr import bh_qvalues

__all__ = [
    "PER",
    "CountyComparison",
    "RateResult",
    "compare_within_county",
    "poisson_interval",
    "rates_per_100k",
]

PER = 100_000.0


def _counts(values: npt.ArrayLike) -> IntArray:
    arr = np.asarray(values)
    if arr.size and not (np.all(np.isfinite(arr)) and arr.min() >= 0):
        raise ValueError("counts must be finite and non-negative")
    if arr.size and not np.array_equal(arr, np.round(arr)):
        raise ValueError("counts must be whole numbers")
    return arr.astype(np.int64)


def poisson_interval(counts: npt.ArrayLike, alpha: float = 0.05) -> tuple[FloatArray, FloatArray]:
    """Exact (Garwood) two-sided ``1 − alpha`` interval for the mean of Poisson counts."""
    x = _counts(counts).astype(np.float64)
    lower = np.where(x > 0, special.gammaincinv(np.maximum(x, 1.0), alpha / 2.0), 0.0)
    upper = special.gammaincinv(x + 1.0, 1.0 - alpha / 2.0)
    return np.asarray(lower, dtype=np.float64), np.asarray(upper, dtype=np.float64)


def _binomial_interval(k: IntArray, n: IntArray, alpha: float) -> tuple[FloatArray, FloatArray]:
    """Clopper–Pearson interval of a binomial proportion (NaN where ``n = 0``)."""
    kf, nf = k.astype(np.float64), n.astype(np.float64)
    lower = np.where(kf > 0, special.betaincinv(np.maximum(kf, 1.0), nf - kf + 1.0, alpha / 2), 0.0)
    upper = np.where(
        kf < nf, special.betaincinv(kf + 1.0, np.maximum(nf - kf, 1.0), 1.0 - alpha / 2), 1.0
    )
    empty = nf == 0
    return np.where(empty, np.nan, lower), np.where(empty, np.nan, upper)


@dataclass(frozen=True, slots=True)
class RateResult:
    """Per unit: ``count``, ``population``, and ``rate``, ``lower``, ``upper`` per 100 000
    inhabitants and year (NaN where the population is 0)."""

    count: IntArray
    population: FloatArray
    rate: FloatArray
    lower: FloatArray
    upper: FloatArray


def rates_per_100k(
    counts: npt.ArrayLike, population: npt.ArrayLike, *, years: float = 1.0, alpha: float = 0.05
) -> RateResult:
    """Rates per 100 000 inhabitants and year with exact Poisson intervals."""
    x = _counts(counts)
    pop = np.asarray(population, dtype=np.float64)
    if pop.shape != x.shape or (pop.size and (pop.min() < 0 or not np.isfinite(pop).all())):
        raise ValueError("population must be finite, non-negative, one per count")
    if not years > 0:
        raise ValueError("years must be positive")
    lo, hi = poisson_interval(x, alpha)
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(pop > 0, PER / (pop * years), np.nan)
    return RateResult(
        count=x,
        population=pop,
        rate=x.astype(np.float64) * scale,
        lower=lo * scale,
        upper=hi * scale,
    )


@dataclass(frozen=True, slots=True)
class CountyComparison:
    """Kommuner of one län: their rates, the län's rate, each against the rest of the län,
    and every pair (``pair_p[i, j]``, ``pair_q[i, j]``, ``pair_flag[i, j]`` = +1 when ``i`` is
    significantly above ``j``; the diagonal is p = q = 1, flag 0)."""

    rates: RateResult
    county: RateResult
    ratio_to_county: FloatArray
    ratio_to_rest: FloatArray
    ratio_lower: FloatArray
    ratio_upper: FloatArray
    p: FloatArray
    q: FloatArray
    flag: Int8Array
    pair_p: FloatArray
    pair_q: FloatArray
    pair_flag: Int8Array


def compare_within_county(
    counts: npt.ArrayLike, population: npt.ArrayLike, *, years: float = 1.0, alpha: float = 0.05
) -> CountyComparison:
    """Compare the kommuner of one län with the rest of the län and with each other."""
    x = _counts(counts)
    pop = np.asarray(population, dtype=np.float64)
    rates = rates_per_100k(x, pop, years=years, alpha=alpha)
    k = x.size
    total_x = np.asarray([x.sum()])
    total_pop = np.asarray([pop.sum()])
    county = rates_per_100k(total_x, total_pop, years=years, alpha=alpha)

    rest_x = total_x[0] - x
    rest_pop = total_pop[0] - pop
    n = x + rest_x
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(pop + rest_pop > 0, pop / (pop + rest_pop), np.nan)
        testable = (rest_pop > 0) & (pop > 0)
        p = np.where(testable, binomial_two_sided(x, n, np.where(testable, share, 0.5)), 1.0)
        lo, hi = _binomial_interval(x, n, alpha)
        odds = rest_pop / pop
        ratio_to_rest = np.where(testable & (rest_x > 0), x / rest_x * odds, np.nan)
        ratio_lower = np.where(testable, lo / (1.0 - lo) * odds, np.nan)
        ratio_upper = np.where(testable & (hi < 1.0), hi / (1.0 - hi) * odds, np.inf)
        ratio_upper = np.where(testable, ratio_upper, np.nan)
        ratio_to_county = rates.rate / county.rate[0]
    q = bh_qvalues(p)
    expected = n * np.nan_to_num(share)
    flag = np.zeros(k, dtype=np.int8)
    flag[(q <= alpha) & (x > expected)] = 1
    flag[(q <= alpha) & (x < expected)] = -1

    pair_p = np.ones((k, k), dtype=np.float64)
    pair_q = np.ones((k, k), dtype=np.float64)
    pair_flag = np.zeros((k, k), dtype=np.int8)
    if k >= 2:
        i, j = np.triu_indices(k, 1)
        both = (pop[i] > 0) & (pop[j] > 0)
        share_ij = np.where(both, pop[i] / np.where(both, pop[i] + pop[j], 1.0), 0.5)
        pp = np.where(both, binomial_two_sided(x[i], x[i] + x[j], share_ij), 1.0)
        qq = bh_qvalues(pp)
        above = (qq <= alpha) & (x[i] > (x[i] + x[j]) * share_ij)
        below = (qq <= alpha) & (x[i] < (x[i] + x[j]) * share_ij)
        pair_p[i, j] = pair_p[j, i] = pp
        pair_q[i, j] = pair_q[j, i] = qq
        pair_flag[i, j] = np.where(above, 1, np.where(below, -1, 0))
        pair_flag[j, i] = -pair_flag[i, j]
    return CountyComparison(
        rates=rates,
        county=county,
        ratio_to_county=np.asarray(ratio_to_county, dtype=np.float64),
        ratio_to_rest=np.asarray(ratio_to_rest, dtype=np.float64),
        ratio_lower=np.asarray(ratio_lower, dtype=np.float64),
        ratio_upper=np.asarray(ratio_upper, dtype=np.float64),
        p=p,
        q=q,
        flag=flag,
        pair_p=pair_p,
        pair_q=pair_q,
        pair_flag=pair_flag,
    )
