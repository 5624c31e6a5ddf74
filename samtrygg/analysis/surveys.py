"""Indicators of a safety survey: the share of "positive" answers per item, weighted or not,
with a Wilson 95 % interval, suppressed under 30 valid answers and flagged under 100.

An *item* is one question (T1, T2, O1 … F3). Its answers are integer codes; a missing answer is
``0`` (or any code outside the item's valid codes) and is left out, like code 9 ("ingen
uppfattning", "vet ej") where the item has one. The indicator of an item is

* **share** ``p = Σ wᵢ·positiveᵢ / Σ wᵢ`` over the valid answers (every ``w = 1`` without
  weights),
* **effective n** ``n_eff = (Σ w)² / Σ w²`` (Kish 1965; equals the count without weights),
* **Wilson interval** at 95 % (``z = 1.959963984540054``) on ``p`` with ``n_eff``:
  ``(p + z²/2n ± z·√(p(1−p)/n + z²/4n²)) / (1 + z²/n)`` (Wilson 1927),
* **flag** from the *unweighted* count of valid answers ``n``: under 30 the estimate is
  suppressed (no share is given), 30–99 it is uncertain (``osaker``).

The items' positive answers (the issue's fixed codes):

=========  ====================================  ======================
item       positive                              valid (denominator)
=========  ====================================  ======================
T1         3, 4, or 5 with T1b = 1               1–5
T2         2, 3                                  1–3
O1–O5      3, 4                                  1–4
U1–U5      2, 3                                  1–3
P1–P12     3, 4                                  1–4 (9 left out)
F1, F2     1, 2                                  1–4 (9 left out)
F3         1, 2                                  1–5
=========  ====================================  ======================

References: E. B. Wilson (1927), "Probable inference, the law of succession, and statistical
inference", JASA 22:209–212. L. Kish (1965), *Survey Sampling*, Wiley.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = [
    "RULES",
    "SUPPRESS_BELOW",
    "UNCERTAIN_BELOW",
    "Z95",
    "Comparison",
    "Indicator",
    "ItemRule",
    "compare",
    "distribution",
    "effective_n",
    "indicator",
    "item_indicator",
    "positive_share",
    "t1_positive",
    "wilson",
]

Z95 = 1.959963984540054
SUPPRESS_BELOW = 30
UNCERTAIN_BELOW = 100

FLAG_NONE = ""
FLAG_UNCERTAIN = "osaker"
FLAG_SUPPRESSED = "undertryckt"


@dataclass(frozen=True)
class ItemRule:
    """Which codes of an item count, and which of them are "positive"."""

    valid: frozenset[int]
    positive: frozenset[int]


def _rule(valid: Iterable[int], positive: Iterable[int]) -> ItemRule:
    return ItemRule(frozenset(valid), frozenset(positive))


# T1 is special (code 5 is positive only with T1b = 1): see t1_positive.
RULES: dict[str, ItemRule] = {
    "T1": _rule(range(1, 6), (3, 4)),
    "T2": _rule(range(1, 4), (2, 3)),
    **{f"O{i}": _rule(range(1, 5), (3, 4)) for i in range(1, 6)},
    **{f"U{i}": _rule(range(1, 4), (2, 3)) for i in range(1, 6)},
    **{f"P{i}": _rule(range(1, 5), (3, 4)) for i in range(1, 13)},
    "F1": _rule(range(1, 5), (1, 2)),
    "F2": _rule(range(1, 5), (1, 2)),
    "F3": _rule(range(1, 6), (1, 2)),
}


@dataclass(frozen=True)
class Indicator:
    """One item's indicator in one area. ``share``/``ci_low``/``ci_high`` are None when the
    estimate is suppressed (fewer than 30 valid answers) or there are no valid answers."""

    n: int
    n_eff: float
    share: float | None
    ci_low: float | None
    ci_high: float | None
    flag: str

    @property
    def suppressed(self) -> bool:
        return self.share is None


def _weights(
    length: int, weights: Sequence[float] | npt.ArrayLike | None
) -> npt.NDArray[np.float64]:
    if weights is None:
        return np.ones(length, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    if w.shape != (length,):
        raise ValueError("weights and answers differ in length")
    if np.any(~np.isfinite(w)) or np.any(w <= 0):
        raise ValueError("weights must be positive numbers")
    return w


def effective_n(weights: npt.ArrayLike) -> float:
    """Kish's effective sample size ``(Σw)² / Σw²`` (0 for no weights)."""
    w = np.asarray(weights, dtype=np.float64)
    squares = float(np.sum(w * w))
    return float(np.sum(w)) ** 2 / squares if squares > 0 else 0.0


def wilson(share: float, n: float, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval for a share ``p`` among ``n`` (possibly effective) answers,
    clipped to [0, 1]."""
    if n <= 0:
        raise ValueError("n must be positive")
    z2 = z * z
    denominator = 1.0 + z2 / n
    centre = (share + z2 / (2.0 * n)) / denominator
    half = z * math.sqrt(share * (1.0 - share) / n + z2 / (4.0 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def indicator(positive: npt.ArrayLike, weights: npt.ArrayLike | None = None) -> Indicator:
    """The indicator of valid answers: ``positive`` is one boolean per valid answer, ``weights``
    their weights (None: all 1). Suppressed under 30 answers, ``osaker`` under 100."""
    flags = np.asarray(positive, dtype=bool)
    n = int(flags.size)
    w = _weights(n, weights)
    if n == 0:
        return Indicator(0, 0.0, None, None, None, FLAG_SUPPRESSED)
    n_eff = effective_n(w)
    if n < SUPPRESS_BELOW:
        return Indicator(n, n_eff, None, None, None, FLAG_SUPPRESSED)
    share = float(np.sum(w * flags) / np.sum(w))
    low, high = wilson(share, n_eff)
    return Indicator(n, n_eff, share, low, high, FLAG_UNCERTAIN if n < UNCERTAIN_BELOW else "")


def positive_share(
    codes: npt.ArrayLike, rule: ItemRule, weights: npt.ArrayLike | None = None
) -> Indicator:
    """An item's indicator from its answer codes (0 = no answer): the valid codes of ``rule``
    are counted, the positive ones among them are the share."""
    answers = np.asarray(codes, dtype=np.int64)
    w = _weights(answers.size, weights)
    valid = np.isin(answers, sorted(rule.valid))
    return indicator(np.isin(answers[valid], sorted(rule.positive)), w[valid])


def t1_positive(
    t1: npt.ArrayLike, t1b: npt.ArrayLike
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """T1's rule: valid are codes 1–5; positive are 3 (ganska otrygg), 4 (mycket otrygg) and 5
    (går aldrig ut ensam) when T1b is 1 (because of feeling unsafe). Returns (valid, positive),
    one value per respondent."""
    a = np.asarray(t1, dtype=np.int64)
    b = np.asarray(t1b, dtype=np.int64)
    valid = (a >= 1) & (a <= 5)
    positive = (a == 3) | (a == 4) | ((a == 5) & (b == 1))
    return valid, positive & valid


def item_indicator(
    code: str,
    answers: dict[str, npt.ArrayLike],
    weights: npt.ArrayLike | None = None,
) -> Indicator:
    """The indicator of item ``code`` (T1, T2, O1 … F3) from the respondents' answers by item
    (T1 also reads T1b)."""
    if code == "T1":
        t1 = np.asarray(answers["T1"], dtype=np.int64)
        valid, positive = t1_positive(t1, answers.get("T1b", np.zeros_like(t1)))
        w = _weights(t1.size, weights)
        return indicator(positive[valid], w[valid])
    return positive_share(answers[code], RULES[code], weights)


def distribution(
    codes: npt.ArrayLike, labels: Sequence[int], weights: npt.ArrayLike | None = None
) -> list[tuple[int, int, float]]:
    """Each answer code of ``labels``: (code, unweighted count, weighted share of all answers
    with one of those codes). Codes outside ``labels`` (no answer) are left out."""
    answers = np.asarray(codes, dtype=np.int64)
    w = _weights(answers.size, weights)
    known = np.isin(answers, list(labels))
    total = float(np.sum(w[known]))
    rows = []
    for label in labels:
        hit = answers == label
        rows.append((int(label), int(np.sum(hit)), float(np.sum(w[hit]) / total) if total else 0.0))
    return rows


@dataclass(frozen=True)
class Comparison:
    """A wave against the previous one: the difference of the shares (now − before) and
    whether their intervals overlap. None when either estimate is suppressed."""

    difference: float
    overlap: bool


def compare(now: Indicator, before: Indicator) -> Comparison | None:
    if (
        now.share is None
        or now.ci_low is None
        or now.ci_high is None
        or before.share is None
        or before.ci_low is None
        or before.ci_high is None
    ):
        return None
    overlap = now.ci_low <= before.ci_high and before.ci_low <= now.ci_high
    return Comparison(now.share - before.share, overlap)
