"""Change and anomaly: each area's count in a period against its own baseline.

The baseline of a period is the previous ``N`` periods and the same period last year (chosen by
the caller, see :mod:`samtrygg.analysis.picture`). For area ``a`` with count ``x`` in the current
period (exposure ``e_c``, its length) and counts ``b_1 … b_m`` in the baseline periods (lengths
``e_1 … e_m``, total ``E = Σ e_i``, total count ``B = Σ b_i``):

* **expected** count ``x̂ = B · e_c / E`` ("normalt");
* **test** of "the current period has the same rate as the baseline", conditional on the total
  ``N = x + B``, so the unknown rate drops out:

  - *Poisson* counts: ``x | N ~ Binomial(N, π)`` with ``π = e_c / (e_c + E)``, the exact
    conditional test of two Poisson rates (Przyborowski & Wilenski 1940);
  - *overdispersed* counts (negative binomial with variance ``φ·mean``, a shape proportional
    to exposure): ``x | N ~ BetaBinomial(N, r·e_c, r·E)`` with ``r = μ / (φ − 1)`` and ``μ =
    N / (e_c + E)`` the common rate under the null; it becomes the binomial test as ``φ → 1``.
    Exact (summed term by term) up to ``N = 2000``; above that the beta limit
    ``P(x ≤ k) ≈ I_{(k + ½)/N}(r·e_c, r·E)`` is used.

  The two-sided p-value is twice the smaller tail, capped at 1.
* **Overdispersion is tested, not assumed**: Pearson's ``X² = Σ_a Σ_i (b_ai − B_a e_i/E)² /
  (B_a e_i/E)`` over the baseline periods of all areas with ``B_a > 0``, with ``Σ_a (m − 1)``
  degrees of freedom (the index-of-dispersion test, Fisher 1950; Cochran 1954). If it rejects at
  ``dispersion_alpha`` the negative binomial is used for all areas of the call, with
  ``φ = X² / df`` (the Pearson estimate of the dispersion, McCullagh & Nelder 1989 §4.5).
* **Correction for the number of areas**: Benjamini–Hochberg ``q`` over all assessed areas of
  the call. The verdict is *mer än vanligt* when ``q ≤ alpha`` and ``x > x̂``, *mindre än
  vanligt* when ``q ≤ alpha`` and ``x < x̂``, otherwise *som vanligt*; *kan inte bedömas* when
  there is no baseline period.

References: J. Przyborowski & H. Wilenski (1940), "Homogeneity of results in testing samples
from Poisson series", Biometrika 31:313–323. R. A. Fisher (1950), "The significance of
deviations from expectation in a Poisson series", Biometrics 6:17–24. W. G. Cochran (1954),
"Some methods for strengthening the common χ² tests", Biometrics 10:417–451. P. McCullagh &
J. A. Nelder (1989), Generalized Linear Models, 2nd ed. Benjamini & Hochberg (1995).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np
import numpy.typing as npt
from scipy import special

from samtrygg.analysis._types import FloatArray, Int8Array, IntArray
from samtrygg.analysis.fdr import bh_qvalues

__all__ = [
    "VERDICT_KEYS",
    "ChangeResult",
    "Verdict",
    "binomial_two_sided",
    "compare_to_baseline",
]

EXACT_LIMIT = 2000


class Verdict(IntEnum):
    """Outcome of a change test (stored as ``int8``)."""

    LESS = -1
    USUAL = 0
    MORE = 1
    NOT_ASSESSED = 2


VERDICT_KEYS: dict[Verdict, str] = {
    Verdict.LESS: "less",
    Verdict.USUAL: "usual",
    Verdict.MORE: "more",
    Verdict.NOT_ASSESSED: "not_assessed",
}


@dataclass(frozen=True, slots=True)
class ChangeResult:
    """Per area: the numbers behind the verdict. ``method`` is ``"poisson"`` or
    ``"negative_binomial"``; ``dispersion`` is φ (1 when Poisson) and ``dispersion_p`` the
    p-value of the overdispersion test (1 when it could not be run). Codes and numbers only:
    the pages word them (``samtrygg.situation.wording``)."""

    observed: IntArray
    baseline: IntArray
    expected: FloatArray
    ratio: FloatArray
    p: FloatArray
    q: FloatArray
    verdict: Int8Array
    method: str
    dispersion: float
    dispersion_p: float
    alpha: float


def _two_sided(lower: FloatArray, upper: FloatArray) -> FloatArray:
    p: FloatArray = np.clip(2.0 * np.minimum(lower, upper), 0.0, 1.0)
    return p


def binomial_two_sided(k: npt.ArrayLike, n: npt.ArrayLike, prob: npt.ArrayLike) -> FloatArray:
    """Two-sided exact binomial p-value (twice the smaller tail, capped at 1); 1 when ``n = 0``.

    Tails through the regularised incomplete beta function:
    ``P(X ≤ k) = I_{1−π}(n − k, k + 1)`` and ``P(X ≥ k) = I_π(k, n − k + 1)``.
    """
    kk, nn, pp = np.broadcast_arrays(
        np.asarray(k, dtype=np.float64),
        np.asarray(n, dtype=np.float64),
        np.asarray(prob, dtype=np.float64),
    )
    below_n = kk < nn
    positive = kk >= 1
    lower = np.where(
        below_n, special.betainc(np.where(below_n, nn - kk, 1.0), kk + 1.0, 1.0 - pp), 1.0
    )
    upper = np.where(
        positive,
        special.betainc(np.where(positive, kk, 1.0), np.maximum(nn - kk + 1.0, 1.0), pp),
        1.0,
    )
    p = _two_sided(np.asarray(lower, dtype=np.float64), np.asarray(upper, dtype=np.float64))
    return np.where(nn > 0, p, 1.0)


def _beta_binomial_tails(
    k: IntArray, n: IntArray, a: FloatArray, b: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """(P(X ≤ k), P(X ≥ k)) for X ~ BetaBinomial(n, a, b), vectorised over areas."""
    lower = np.ones(k.shape, dtype=np.float64)
    upper = np.ones(k.shape, dtype=np.float64)
    exact = (n <= EXACT_LIMIT) & (n > 0)
    if exact.any():
        ne, ke, ae, be = n[exact], k[exact], a[exact], b[exact]
        sizes = ne + 1
        starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
        owner = np.repeat(np.arange(ne.size), sizes)
        support = np.arange(int(sizes.sum()), dtype=np.int64) - starts[owner]
        nn, aa, bb = ne[owner], ae[owner], be[owner]
        log_pmf = (
            special.gammaln(nn + 1.0)
            - special.gammaln(support + 1.0)
            - special.gammaln(nn - support + 1.0)
            + special.betaln(support + aa, nn - support + bb)
            - special.betaln(aa, bb)
        )
        pmf = np.exp(log_pmf)
        below = np.where(support <= ke[owner], pmf, 0.0)
        above = np.where(support >= ke[owner], pmf, 0.0)
        lower[exact] = np.minimum(np.add.reduceat(below, starts), 1.0)
        upper[exact] = np.minimum(np.add.reduceat(above, starts), 1.0)
    approx = n > EXACT_LIMIT
    if approx.any():
        na, ka = n[approx].astype(np.float64), k[approx].astype(np.float64)
        aa, bb = a[approx], b[approx]
        lower[approx] = special.betainc(aa, bb, np.clip((ka + 0.5) / na, 0.0, 1.0))
        upper[approx] = 1.0 - special.betainc(aa, bb, np.clip((ka - 0.5) / na, 0.0, 1.0))
    return lower, upper


def _dispersion(baseline: IntArray, exposure: FloatArray) -> tuple[float, float]:
    """Pooled Pearson X² overdispersion test over areas: (φ = X²/df, p)."""
    m = baseline.shape[1]
    total = baseline.sum(axis=1)
    used = total > 0
    df = int(used.sum()) * (m - 1)
    if m < 2 or df == 0:
        return 1.0, 1.0
    expected = total[used, None] * (exposure / exposure.sum())[None, :]
    x2 = float((((baseline[used] - expected) ** 2) / expected).sum())
    return x2 / df, float(special.chdtrc(df, x2))


def compare_to_baseline(
    current: npt.ArrayLike,
    baseline: npt.ArrayLike,
    *,
    current_exposure: float = 1.0,
    baseline_exposure: npt.ArrayLike | None = None,
    alpha: float = 0.05,
    dispersion_alpha: float = 0.05,
) -> ChangeResult:
    """Test each area's ``current`` count (shape (A,)) against its ``baseline`` (shape (A, m)).

    ``current_exposure`` and ``baseline_exposure`` (shape (m,), default all 1) are the lengths
    of the periods in any common unit (seconds, days); only their ratios matter. Counts must be
    non-negative integers.
    """
    x = np.asarray(current)
    base = np.asarray(baseline)
    if x.ndim != 1 or base.ndim != 2 or base.shape[0] != x.shape[0]:
        raise ValueError("current must be (A,) and baseline (A, m)")
    for arr in (x, base):
        if arr.size and not (np.all(np.isfinite(arr)) and arr.min() >= 0):
            raise ValueError("counts must be finite and non-negative")
        if arr.size and not np.array_equal(arr, np.round(arr)):
            raise ValueError("counts must be whole numbers")
    x = x.astype(np.int64)
    base = base.astype(np.int64)
    n_areas, m = base.shape
    exposure = (
        np.ones(m, dtype=np.float64)
        if baseline_exposure is None
        else np.asarray(baseline_exposure, dtype=np.float64)
    )
    if exposure.shape != (m,) or np.any(exposure <= 0) or not current_exposure > 0:
        raise ValueError("exposures must be positive, one per baseline period")
    total_b = base.sum(axis=1)
    exposure_b = float(exposure.sum()) if m else 0.0
    expected = (
        total_b * (current_exposure / exposure_b) if m else np.zeros(n_areas, dtype=np.float64)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(expected > 0, x / np.where(expected > 0, expected, 1.0), np.nan)

    phi, dispersion_p = _dispersion(base, exposure) if m else (1.0, 1.0)
    overdispersed = dispersion_p < dispersion_alpha and phi > 1.0
    p = np.ones(n_areas, dtype=np.float64)
    if m:
        n_total = x + total_b
        share = current_exposure / (current_exposure + exposure_b)
        if overdispersed:
            rate = n_total / (current_exposure + exposure_b)
            r = rate / (phi - 1.0)
            a = np.maximum(r * current_exposure, 1e-12)
            b = np.maximum(r * exposure_b, 1e-12)
            lower, upper = _beta_binomial_tails(x, n_total, a, b)
            p = np.where(n_total > 0, _two_sided(lower, upper), 1.0)
        else:
            p = binomial_two_sided(x, n_total, share)
    assessed = m > 0
    q = bh_qvalues(p) if assessed else np.ones(n_areas, dtype=np.float64)
    verdict = np.full(n_areas, int(Verdict.USUAL), dtype=np.int8)
    if assessed:
        significant = q <= alpha
        verdict[significant & (x > expected)] = int(Verdict.MORE)
        verdict[significant & (x < expected)] = int(Verdict.LESS)
    else:
        verdict[:] = int(Verdict.NOT_ASSESSED)
    return ChangeResult(
        observed=x,
        baseline=base,
        expected=np.asarray(expected, dtype=np.float64),
        ratio=np.asarray(ratio, dtype=np.float64),
        p=p,
        q=q,
        verdict=verdict,
        method="negative_binomial" if overdispersed else "poisson",
        dispersion=phi if overdispersed else 1.0,
        dispersion_p=dispersion_p,
        alpha=alpha,
    )
