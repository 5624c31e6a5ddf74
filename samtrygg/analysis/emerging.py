"""Emerging hot spots: Gi* per cell and time step, a Mann–Kendall trend, and a pattern.

For a space–time cube of counts (cells × time steps, oldest step first):

1. Gi* (:mod:`samtrygg.analysis.hotspots`) is computed for every time step on the same grid.
   A bin is a *significant hot spot* when ``z > 0`` and it is rejected by the Benjamini–Hochberg
   procedure at ``alpha`` among all cells of that time step (ESRI computes "the Getis-Ord Gi*
   statistic for each bin using an FDR correction"); a *significant cold spot* likewise with
   ``z < 0``. The default ``alpha = 0.10`` is ESRI's lowest confidence class (90 %).
   Unlike ESRI's default (which also counts the bins of the previous time step as neighbours),
   the neighbourhood here is spatial only: each time step is its own Gi* call.
2. The Mann–Kendall test (:mod:`samtrygg.analysis.trend`) of each cell's series of Gi* z scores
   gives the trend of the intensity of clustering (significant at ``trend_alpha``).
3. Each cell gets one pattern, from ESRI's published definitions ("How Emerging Hot Spot Analysis
   works", ArcGIS Pro, Space Time Pattern Mining toolbox), with *hot* = significant hot-spot bin,
   ``n`` = number of steps and "90 %" meaning ``10·count ≥ 9·n``. Checked in this order, first
   match wins (the order of the definitions, which otherwise overlap):

   * **new**: hot in the final step and never before.
   * **consecutive**: a single uninterrupted run of ≥ 2 hot bins ending in the final step, never
     hot before the run, and hot in fewer than 90 % of the steps.
   * **intensifying**: hot in ≥ 90 % of the steps including the final one, and a significant
     upward trend of z.
   * **persistent**: hot in ≥ 90 % of the steps including the final one, no significant trend.
   * **diminishing**: hot in ≥ 90 % of the steps including the final one, and a significant
     downward trend of z.
   * **sporadic**: hot in the final step, on and off before, in fewer than 90 % of the steps,
     and never a significant cold spot.
   * **oscillating**: hot in the final step, in fewer than 90 % of the steps, and a significant
     cold spot in some earlier step.
   * **historical**: not hot in the final step, but hot in ≥ 90 % of the steps.

   Cold-spot patterns mirror these with *cold* for *hot* (an intensifying cold spot has a
   significant *downward* trend of z). Anything else is "no pattern". ESRI recommends at least
   ten time steps; with fewer, the trend test has little power and "historical" cannot occur.

References: ESRI, "How Emerging Hot Spot Analysis works" (ArcGIS Pro documentation). Getis & Ord
(1992), Ord & Getis (1995) for Gi*; Mann (1945), Kendall (1975) for the trend; Benjamini &
Hochberg (1995) for the FDR.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

import numpy as np
import numpy.typing as npt
from scipy import special

from samtrygg.analysis._types import BoolArray, FloatArray, Int8Array
from samtrygg.analysis.fdr import bh_threshold
from samtrygg.analysis.hotspots import SparseMatrix, gi_star_z, two_sided_p
from samtrygg.analysis.trend import mann_kendall_by_step

__all__ = ["PATTERN_KEYS", "EmergingResult", "Pattern", "emerging_hotspots"]


class Pattern(IntEnum):
    """Emerging hot-spot pattern of a cell; cold-spot patterns are the negatives."""

    NO_PATTERN = 0
    NEW_HOT = 1
    CONSECUTIVE_HOT = 2
    INTENSIFYING_HOT = 3
    PERSISTENT_HOT = 4
    DIMINISHING_HOT = 5
    SPORADIC_HOT = 6
    OSCILLATING_HOT = 7
    HISTORICAL_HOT = 8
    NEW_COLD = -1
    CONSECUTIVE_COLD = -2
    INTENSIFYING_COLD = -3
    PERSISTENT_COLD = -4
    DIMINISHING_COLD = -5
    SPORADIC_COLD = -6
    OSCILLATING_COLD = -7
    HISTORICAL_COLD = -8


_KINDS = (
    "new",
    "consecutive",
    "intensifying",
    "persistent",
    "diminishing",
    "sporadic",
    "oscillating",
    "historical",
)

#: Stable keys for storage and translation, e.g. ``"intensifying_hot_spot"``.
PATTERN_KEYS: dict[Pattern, str] = {Pattern.NO_PATTERN: "no_pattern"}
for _code, _kind in enumerate(_KINDS, start=1):
    PATTERN_KEYS[Pattern(_code)] = f"{_kind}_hot_spot"
    PATTERN_KEYS[Pattern(-_code)] = f"{_kind}_cold_spot"


@dataclass(frozen=True, slots=True)
class EmergingResult:
    """Per cell and step: ``z`` and ``bins`` (+1 hot, −1 cold, 0); per cell: the trend of z
    (``trend_z``, ``trend_p``, Kendall's ``trend_tau``) and the ``pattern`` (:class:`Pattern`
    codes as ``int8``)."""

    z: FloatArray
    bins: Int8Array
    trend_z: FloatArray
    trend_p: FloatArray
    trend_tau: FloatArray
    pattern: Int8Array


def _significant_bins(by_step: FloatArray, alpha: float) -> Int8Array:
    """+1/−1 where BH (per time step, over all cells) rejects at ``alpha``, by the sign of z;
    ``by_step`` and the result are steps × cells.

    Only cells with ``p ≤ alpha`` can be rejected, so p is computed for those alone.
    """
    n_steps, n_cells = by_step.shape
    bins = np.zeros((n_steps, n_cells), dtype=np.int8)
    z_alpha = float(special.ndtri(1.0 - alpha / 2.0)) * (1.0 - 1e-12) if alpha < 1 else 0.0
    for step in range(n_steps):
        layer = by_step[step]
        candidates = np.flatnonzero(np.abs(layer) >= z_alpha)
        p = two_sided_p(layer[candidates])
        threshold = bh_threshold(p[p <= alpha], n_cells, alpha)
        chosen = candidates[p <= threshold]
        bins[step, chosen] = np.sign(layer[chosen]).astype(np.int8)
    return bins


def _classify(
    hot: BoolArray, cold: BoolArray, up: BoolArray, down: BoolArray, sign: int
) -> Int8Array:
    """Patterns (as positive codes times ``sign``) for the 'hot' side of the cube."""
    n_cells, n_steps = hot.shape
    pattern = np.zeros(n_cells, dtype=np.int8)
    if n_steps == 0:
        return pattern
    final = hot[:, -1]
    n_hot = hot.sum(axis=1)
    ever_cold_before = cold[:, :-1].any(axis=1)
    mostly = 10 * n_hot >= 9 * n_steps
    # length of the run of hot bins that ends in the final step
    reversed_hot = hot[:, ::-1]
    run = np.where(final & reversed_hot.all(axis=1), n_steps, np.argmin(reversed_hot, axis=1))
    rules = [
        (Pattern.NEW_HOT, final & (n_hot == 1)),
        (Pattern.CONSECUTIVE_HOT, final & (run >= 2) & (n_hot == run) & ~mostly),
        (Pattern.INTENSIFYING_HOT, final & mostly & up),
        (Pattern.PERSISTENT_HOT, final & mostly & ~up & ~down),
        (Pattern.DIMINISHING_HOT, final & mostly & down),
        (Pattern.SPORADIC_HOT, final & ~mostly & ~ever_cold_before),
        (Pattern.OSCILLATING_HOT, final & ~mostly & ever_cold_before),
        (Pattern.HISTORICAL_HOT, ~final & mostly),
    ]
    unassigned = np.ones(n_cells, dtype=np.bool_)
    for code, match in rules:
        chosen = match & unassigned
        pattern[chosen] = sign * int(code)
        unassigned &= ~chosen
    return pattern


def emerging_hotspots(
    counts: npt.ArrayLike,
    neighbors: SparseMatrix,
    *,
    alpha: float = 0.10,
    trend_alpha: float = 0.05,
    validate: bool = True,
) -> EmergingResult:
    """Emerging hot-spot analysis of ``counts`` (cells × time steps, oldest step first).

    ``neighbors`` is the cells' binary contiguity matrix (see :func:`hotspots.gi_star`).
    """
    y = np.asarray(counts, dtype=np.float64)
    if y.ndim != 2:
        raise ValueError("counts must be 2-d: cells × time steps")
    z = gi_star_z(y, neighbors, validate=validate)
    z_by_step = np.ascontiguousarray(z.T)
    bins = _significant_bins(z_by_step, alpha).T  # cells × steps (a view)
    trend = mann_kendall_by_step(z_by_step)
    up = (trend.z > 0) & (trend.p < trend_alpha)
    down = (trend.z < 0) & (trend.p < trend_alpha)
    hot = bins > 0
    cold = bins < 0
    pattern = _classify(hot, cold, up, down, 1)
    cold_pattern = _classify(cold, hot, down, up, -1)
    # a cold spot in the final step outranks a historical hot spot, and vice versa
    final_cold = cold[:, -1] if cold.shape[1] else np.zeros(cold.shape[0], dtype=np.bool_)
    pattern = np.where(final_cold | (pattern == 0), cold_pattern, pattern).astype(np.int8)
    return EmergingResult(
        z=z,
        bins=bins,
        trend_z=trend.z,
        trend_p=trend.p,
        trend_tau=trend.tau,
        pattern=pattern,
    )
