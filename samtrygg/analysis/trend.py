"""Mann–Kendall trend test, vectorised over many series of the same length.

For a series ``x_1 … x_T`` (Mann 1945; Kendall 1975):

    S = Σ_{i<j} sign(x_j − x_i)
    Var(S) = [ T(T−1)(2T+5) − Σ_g t_g(t_g−1)(2t_g+5) ] / 18

where ``t_g`` are the sizes of groups of tied values. With the continuity correction
``Z = (S − sign(S)) / sqrt(Var(S))`` (``Z = 0`` when ``S = 0`` or ``Var(S) = 0``) and the
two-sided ``p = 2·Φ(−|Z|)``; Kendall's ``τ = S / (T(T−1)/2)``. A significant positive ``Z`` is an
upward trend. Tests with fewer than three points have no power (``p`` near 1); ESRI recommends at
least ten time steps for emerging hot spots.

The pairs are visited once each, every pair as one vector operation over all series.

References: H. B. Mann (1945), "Nonparametric tests against trend", Econometrica 13(3):245–259.
M. G. Kendall (1975), Rank Correlation Methods, 4th ed., Griffin, London.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from samtrygg.analysis._types import FloatArray, IntArray
from samtrygg.analysis.hotspots import two_sided_p

__all__ = ["MannKendallResult", "mann_kendall", "mann_kendall_by_step"]


@dataclass(frozen=True, slots=True)
class MannKendallResult:
    """Per series: Kendall's ``s``, ``tau``, the normal score ``z`` and the two-sided ``p``."""

    s: IntArray
    tau: FloatArray
    z: FloatArray
    p: FloatArray


def mann_kendall(series: npt.ArrayLike) -> MannKendallResult:
    """Mann–Kendall test of each row of ``series`` (shape (n, T), or (T,) for one series)."""
    x = np.asarray(series, dtype=np.float64)
    if x.ndim == 1:
        x = x[None, :]
    if x.ndim != 2:
        raise ValueError("series must be 1-d or 2-d")
    return mann_kendall_by_step(np.ascontiguousarray(x.T))


def mann_kendall_by_step(by_step: npt.NDArray[np.float64]) -> MannKendallResult:
    """:func:`mann_kendall` of the columns of ``by_step`` (shape (T, n): one row per step)."""
    if by_step.ndim != 2:
        raise ValueError("by_step must be 2-d: steps × series")
    if np.isnan(by_step).any():
        raise ValueError("series must not contain NaN")
    t, n = by_step.shape
    # e_i: how many other points of the series equal point i; for a tie group of size t_g,
    # Σ_i e_i² = Σ_g t_g(t_g−1)² and Σ_i e_i = Σ_g t_g(t_g−1), so
    # Σ_g t_g(t_g−1)(2t_g+5) = 2·Σ_i e_i² + 7·Σ_i e_i.
    counter = np.int16 if t <= 256 else np.int64  # |S| ≤ T(T−1)/2
    s_acc: npt.NDArray[np.signedinteger[Any]] = np.zeros(n, dtype=counter)
    equal_others = np.zeros((t, n), dtype=np.int64)
    greater = np.empty(n, dtype=np.bool_)
    less = np.empty(n, dtype=np.bool_)
    for i in range(t):
        for j in range(i + 1, t):
            np.greater(by_step[j], by_step[i], out=greater)
            np.less(by_step[j], by_step[i], out=less)
            s_acc += greater
            s_acc -= less
            tied = ~(greater | less)
            if tied.any():
                equal_others[i] += tied
                equal_others[j] += tied
    s = s_acc.astype(np.int64)
    ties = 2 * (equal_others**2).sum(axis=0) + 7 * equal_others.sum(axis=0)
    var = (t * (t - 1) * (2 * t + 5) - ties) / 18.0
    z = np.zeros(n, dtype=np.float64)
    np.divide(s - np.sign(s), np.sqrt(np.maximum(var, 0.0)), out=z, where=var > 0)
    pairs = t * (t - 1) / 2.0
    tau = s / pairs if pairs > 0 else np.zeros(n, dtype=np.float64)
    result = MannKendallResult(s=s, tau=np.asarray(tau, dtype=np.float64), z=z, p=two_sided_p(z))
    return result
