"""Level suggestion per area: the partnership's scale grön / gul / orange / röd with a trend,
from the change test, the hot spots and the emerging hot spots, with one sentence why.

The rule (documented, deliberately simple, a *suggestion* for the coordinator):

* **Points** for the area in the period:

  - change *mer än vanligt* (``q ≤ alpha``): 1 point; 2 points when the count is also at least
    ``strong_ratio`` (default 2) times the normal;
  - at least one significant hot-spot cell (Gi*, ``z > 0`` and ``q ≤ alpha``) in the area:
    1 point;
  - at least one cell of the area whose emerging pattern is *new*, *consecutive* or
    *intensifying* hot spot (it is getting worse): 1 point.

* **Level** = points, capped at 3: 0 grön (lugnt), 1 gul (förhöjt), 2 orange (oroligt),
  3 röd (allvarligt).
* **Small numbers**: with fewer than ``min_count`` (default 5) events in the period and a normal
  below ``min_count``, the level is at most gul: too few events to say more.
* **Trend**: ↑ when the change is *mer än vanligt* or a hot spot is new/intensifying (and the
  change is not *mindre än vanligt*); ↓ when the change is *mindre än vanligt* (and no hot spot
  is new/intensifying); otherwise →.

A coordinator can set another level or trend with :func:`decide_level`, which requires a reason;
storing the decision is the apps' business. Level names, reasons and sentences are plain Swedish
text here; each reason also has a stable key (``reason_keys``) for translation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np
import numpy.typing as npt

from samtrygg.analysis._text import number_sv
from samtrygg.analysis._types import Int8Array, IntArray
from samtrygg.analysis.change import VERDICT_TEXT_SV, ChangeResult, Verdict

__all__ = [
    "LEVEL_KEYS",
    "LEVEL_MEANING_SV",
    "LEVEL_TEXT_SV",
    "TREND_SYMBOL",
    "TREND_TEXT_SV",
    "AreaLevels",
    "Level",
    "LevelDecision",
    "LevelRule",
    "Trend",
    "decide_level",
    "suggest_levels",
]


class Level(IntEnum):
    GREEN = 0
    YELLOW = 1
    ORANGE = 2
    RED = 3


class Trend(IntEnum):
    DOWN = -1
    STEADY = 0
    UP = 1


LEVEL_KEYS = {
    Level.GREEN: "green",
    Level.YELLOW: "yellow",
    Level.ORANGE: "orange",
    Level.RED: "red",
}
LEVEL_TEXT_SV = {Level.GREEN: "grön", Level.YELLOW: "gul", Level.ORANGE: "orange", Level.RED: "röd"}
LEVEL_MEANING_SV = {
    Level.GREEN: "lugnt",
    Level.YELLOW: "förhöjt",
    Level.ORANGE: "oroligt",
    Level.RED: "allvarligt",
}
TREND_SYMBOL = {Trend.UP: "↑", Trend.STEADY: "→", Trend.DOWN: "↓"}
TREND_TEXT_SV = {Trend.UP: "ökar", Trend.STEADY: "oförändrat", Trend.DOWN: "minskar"}


@dataclass(frozen=True, slots=True)
class LevelRule:
    """The thresholds of the rule; a partnership may configure its own."""

    min_count: int = 5
    strong_ratio: float = 2.0
    max_level: Level = Level.RED


@dataclass(frozen=True, slots=True)
class AreaLevels:
    """Suggested ``level`` (:class:`Level` codes) and ``trend`` (:class:`Trend` codes) per area,
    the ``points`` behind the level, the reasons as keys, and one Swedish sentence per area."""

    level: Int8Array
    trend: Int8Array
    points: IntArray
    reason_keys: tuple[tuple[str, ...], ...]
    reason_sv: tuple[str, ...]


def _join_sv(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " och " + parts[-1]


def _cells_sv(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


def suggest_levels(
    change: ChangeResult,
    hot_cells: npt.ArrayLike | None = None,
    growing_cells: npt.ArrayLike | None = None,
    *,
    rule: LevelRule = LevelRule(),
    unit_sv: str = "händelser",
    unit_one_sv: str = "händelse",
) -> AreaLevels:
    """Suggest a level per area.

    ``hot_cells[a]``: number of significant hot-spot cells in area ``a`` in the period;
    ``growing_cells[a]``: number of its cells with a new, consecutive or intensifying emerging
    hot-spot pattern. ``None`` where there is no cell-level data (e.g. police events only).
    ``unit_sv`` / ``unit_one_sv``: what is counted, plural and singular (``1 händelse``).
    """
    n = change.observed.size
    hot = np.zeros(n, dtype=np.int64) if hot_cells is None else np.asarray(hot_cells, np.int64)
    growing = (
        np.zeros(n, dtype=np.int64)
        if growing_cells is None
        else np.asarray(growing_cells, np.int64)
    )
    if hot.shape != (n,) or growing.shape != (n,):
        raise ValueError("hot_cells and growing_cells need one value per area")
    verdict = change.verdict.astype(np.int64)
    more = verdict == int(Verdict.MORE)
    less = verdict == int(Verdict.LESS)
    strong = more & (np.nan_to_num(change.ratio, nan=np.inf) >= rule.strong_ratio)
    points = more.astype(np.int64) + strong + (hot > 0) + (growing > 0)
    level = np.minimum(points, int(rule.max_level))
    small = (change.observed < rule.min_count) & (change.expected < rule.min_count)
    level = np.where(small, np.minimum(level, int(Level.YELLOW)), level)
    trend = np.where(
        (more | (growing > 0)) & ~less,
        int(Trend.UP),
        np.where(less & (growing == 0), int(Trend.DOWN), int(Trend.STEADY)),
    )

    keys: list[tuple[str, ...]] = []
    sentences: list[str] = []
    for a in range(n):
        v = Verdict(int(verdict[a]))
        area_keys = [f"change_{v.name.lower()}"]
        observed = number_sv(float(change.observed[a]))
        unit = unit_one_sv if float(change.observed[a]) == 1 else unit_sv
        if v == Verdict.NOT_ASSESSED:
            parts = [f"{observed} {unit}, ingen jämförelseperiod"]
        else:
            expected = number_sv(float(change.expected[a]), 1)
            parts = [f"{observed} {unit} mot normalt {expected} ({VERDICT_TEXT_SV[v]})"]
        if strong[a]:
            area_keys.append("change_strong")
        if hot[a] > 0:
            area_keys.append("hot_spot")
            parts.append(_cells_sv(int(hot[a]), "het punkt", "heta punkter"))
        if growing[a] > 0:
            area_keys.append("growing_hot_spot")
            parts.append(
                _cells_sv(
                    int(growing[a]), "ny eller växande het punkt", "nya eller växande heta punkter"
                )
            )
        if hot[a] == 0 and growing[a] == 0 and hot_cells is not None:
            parts.append("inga heta punkter")
        if small[a]:
            area_keys.append("small_numbers")
            parts.append(f"för få {unit_sv} för en säker bedömning (färre än {rule.min_count})")
        lvl = Level(int(level[a]))
        name = LEVEL_TEXT_SV[lvl].capitalize()
        symbol = TREND_SYMBOL[Trend(int(trend[a]))]
        sentences.append(f"{name} ({LEVEL_MEANING_SV[lvl]}) {symbol}: {_join_sv(parts)}.")
        keys.append(tuple(area_keys))
    return AreaLevels(
        level=level.astype(np.int8),
        trend=trend.astype(np.int8),
        points=points,
        reason_keys=tuple(keys),
        reason_sv=tuple(sentences),
    )


@dataclass(frozen=True, slots=True)
class LevelDecision:
    """The level an area gets: the suggestion, and the coordinator's choice with a reason."""

    suggested_level: Level
    suggested_trend: Trend
    level: Level
    trend: Trend
    overridden: bool
    reason: str = field(default="")


def decide_level(
    suggested_level: Level | int,
    suggested_trend: Trend | int,
    *,
    level: Level | int | None = None,
    trend: Trend | int | None = None,
    reason: str = "",
) -> LevelDecision:
    """Accept the suggestion, or override level and/or trend; an override needs a reason."""
    s_level, s_trend = Level(int(suggested_level)), Trend(int(suggested_trend))
    chosen_level = s_level if level is None else Level(int(level))
    chosen_trend = s_trend if trend is None else Trend(int(trend))
    overridden = chosen_level != s_level or chosen_trend != s_trend
    text = reason.strip()
    if overridden and not text:
        raise ValueError("Ange ett skäl när du ändrar den föreslagna nivån.")
    return LevelDecision(
        suggested_level=s_level,
        suggested_trend=s_trend,
        level=chosen_level,
        trend=chosen_trend,
        overridden=overridden,
        reason=text,
    )
