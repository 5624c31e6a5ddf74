"""Benjamini–Hochberg false discovery rate control, shared by every test in the engine.

Formula (Benjamini & Hochberg 1995, "Controlling the false discovery rate: a practical and
powerful approach to multiple testing", JRSS B 57(1):289–300). With the ``n`` p-values of one
family sorted ascending, ``p_(1) ≤ … ≤ p_(n)``, the adjusted value ("q-value") of the ``i``-th is

    q_(i) = min( 1, min_{j ≥ i} n · p_(j) / j )

and rejecting every hypothesis with ``q ≤ α`` is the step-up procedure that keeps the expected
share of false discoveries at or below ``α`` for independent or positively dependent tests
(Benjamini & Yekutieli 2001). Equal p-values get equal q-values, so the result does not depend on
the input order. ``q ≥ p`` always holds and is enforced against rounding.

A *family* is whatever one call receives: all cells of one Gi* call, all areas of one change
test, all hour-of-week × category cells of one hot-times matrix.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from samtrygg.analysis._types import BoolArray, FloatArray

__all__ = ["bh_qvalues", "bh_qvalues_of_groups", "bh_reject", "bh_threshold"]


def _as_pvalues(p: npt.ArrayLike) -> FloatArray:
    arr = np.asarray(p, dtype=np.float64)
    if arr.size and not (arr.min() >= 0.0 and arr.max() <= 1.0):
        raise ValueError("p-values must lie in [0, 1] and must not be NaN")
    return arr


def bh_qvalues(p: npt.ArrayLike) -> FloatArray:
    """Benjamini–Hochberg adjusted p-values (q-values) of one family, in the input's shape.

    ``p`` may have any shape; all its entries form one family. Empty input gives empty output.
    Raises ``ValueError`` for NaN or values outside [0, 1].
    """
    arr = _as_pvalues(p)
    flat = arr.ravel()
    n = flat.size
    if n == 0:
        return np.empty(arr.shape, dtype=np.float64)
    # Sort the values (not their positions: much cheaper) and work on the distinct values.
    # Within a run of equal p-values the step-up minimum is reached at the run's last rank
    # b, so each distinct value gets q = min over later distinct values of p·n/b.
    ordered = np.sort(flat)
    last = np.flatnonzero(np.append(ordered[1:] != ordered[:-1], True))
    distinct = ordered[last]
    scaled = distinct * (n / (last + 1.0))
    q_distinct = np.minimum.accumulate(scaled[::-1])[::-1]
    q = q_distinct[np.searchsorted(distinct, flat)]
    np.clip(q, flat, 1.0, out=q)
    return q.reshape(arr.shape)


def bh_qvalues_of_groups(p: npt.ArrayLike, counts: npt.ArrayLike) -> FloatArray:
    """Benjamini–Hochberg q per group of a family in which ``p[g]`` occurs ``counts[g]``
    times: entry by entry what :func:`bh_qvalues` gives for the family written out.

    For a large family with few distinct p-values (the cells of a hot-spot grid, most of
    which have the same small neighbourhood sums) this sorts the groups instead of the whole
    family. Every group must have at least one member.
    """
    pg = _as_pvalues(p).ravel()
    cg = np.asarray(counts, dtype=np.int64).ravel()
    if pg.shape != cg.shape:
        raise ValueError("p and counts must have one value per group")
    if cg.size == 0:
        return np.empty(0, dtype=np.float64)
    if cg.min() < 1:
        raise ValueError("every group must have at least one member")
    n = int(cg.sum())
    order = np.argsort(pg, kind="stable")
    ordered = pg[order]
    rank_after = np.cumsum(cg[order])
    # As in bh_qvalues: equal p-values form one run, whose step-up value is taken at the
    # run's last rank (the same floating-point expression, so the results are identical).
    last = np.flatnonzero(np.append(ordered[1:] != ordered[:-1], True))
    distinct = ordered[last]
    scaled = distinct * (n / rank_after[last].astype(np.float64))
    q_distinct = np.minimum.accumulate(scaled[::-1])[::-1]
    run_of_sorted = np.searchsorted(distinct, ordered)
    q = np.empty(pg.size, dtype=np.float64)
    q[order] = q_distinct[run_of_sorted]
    np.clip(q, pg, 1.0, out=q)
    return q


def bh_threshold(candidates: npt.ArrayLike, n: int, alpha: float) -> float:
    """The Benjamini–Hochberg rejection threshold of a family of ``n`` p-values, from only
    those at or below ``alpha`` (``candidates``): the largest ``p_(k)`` with
    ``p_(k) ≤ k·α/n``, or −1 when nothing is rejected. Every p-value that can be rejected is at
    most ``α``, so the others need neither be computed nor sorted.
    """
    small = np.sort(np.asarray(candidates, dtype=np.float64).ravel())
    if small.size == 0 or n == 0:
        return -1.0
    ranks = np.arange(1, small.size + 1, dtype=np.float64)
    passing = np.flatnonzero(small * n <= ranks * alpha)
    return float(small[passing[-1]]) if passing.size else -1.0


def bh_reject(p: npt.ArrayLike, alpha: float) -> BoolArray:
    """Which hypotheses the Benjamini–Hochberg step-up procedure rejects at level ``alpha``.

    Equivalent to ``bh_qvalues(p) <= alpha`` (up to rounding at the exact boundary) but only sorts
    the p-values at or below ``alpha`` (see :func:`bh_threshold`).
    """
    if not 0.0 <= alpha <= 1.0:
        raise ValueError("alpha must lie in [0, 1]")
    arr = _as_pvalues(p)
    flat = arr.ravel()
    threshold = bh_threshold(flat[flat <= alpha], flat.size, alpha)
    rejected: BoolArray = (flat <= threshold).reshape(arr.shape)
    return rejected
