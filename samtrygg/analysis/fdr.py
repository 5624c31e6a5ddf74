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

__all__ = ["bh_qvalues", "bh_reject"]


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
    order = np.argsort(flat)
    scaled = flat[order] * (n / np.arange(1, n + 1, dtype=np.float64))
    q_sorted = np.minimum.accumulate(scaled[::-1])[::-1]
    q = np.empty(n, dtype=np.float64)
    q[order] = q_sorted
    np.clip(q, flat, 1.0, out=q)
    return q.reshape(arr.shape)


def bh_reject(p: npt.ArrayLike, alpha: float) -> BoolArray:
    """Which hypotheses the Benjamini–Hochberg step-up procedure rejects at level ``alpha``.

    Equivalent to ``bh_qvalues(p) <= alpha`` (up to rounding at the exact boundary) but only sorts
    the p-values at or below ``alpha``: the largest ``k`` with ``p_(k) ≤ k·α/n`` sets the
    threshold ``p_(k)``, and every ``p ≤ p_(k)`` is rejected. Every p-value that can be rejected is
    at most ``α``, so the others need no ordering.
    """
    if not 0.0 <= alpha <= 1.0:
        raise ValueError("alpha must lie in [0, 1]")
    arr = _as_pvalues(p)
    flat = arr.ravel()
    n = flat.size
    out = np.zeros(n, dtype=np.bool_)
    if n == 0:
        return out.reshape(arr.shape)
    candidates = np.sort(flat[flat <= alpha])
    if candidates.size == 0:
        return out.reshape(arr.shape)
    ranks = np.arange(1, candidates.size + 1, dtype=np.float64)
    passing = np.nonzero(candidates * n <= ranks * alpha)[0]
    if passing.size == 0:
        return out.reshape(arr.shape)
    threshold = candidates[passing[-1]]
    out = flat <= threshold
    return out.reshape(arr.shape)
