"""Level suggestion per area: the partnership's scale grön / gul / orange / röd with a trend,
from the change test, the hot spots and the emerging hot spots, with the reasons as keys.

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
storing the decision is the apps' business. The engine gives codes and keys only (``Level``,
``Trend``, ``reason_keys``); the apps word them in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np
import numpy.typing as npt

from samtrygg.analysis._types import Int8Array, IntArray
from samtrygg.analysis.change import ChangeResult, Verdict

__all__ = [
    "LEVEL_KEYS",
    "TREND_SYMBOL",
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
TREND_SYMBOL = {Trend.UP: "↑", Trend.STEADY: "→", Trend.DOWN: "↓"}


@dataclass(frozen=True, slots=True)
class LevelRule:
    """The thresholds of the rule; a partnership may configure its own."""

    min_count: int = 5
    strong_ratio: float = 2.0
    max_level: Level = Level.RED


@dataclass(frozen=True, slots=True)
class AreaLevels:
    """Suggested ``level`` (:class:`Level` codes) and ``trend`` (:class:`Trend` codes) per area,
    the ``points`` behind the level, and the reasons as keys per area: ``change_<verdict>``,
    ``change_strong``, ``hot_spot``, ``growing_hot_spot``, ``no_hot_spot`` (cells were
    analysed and none is hot) and ``small_numbers``."""

    level: Int8Array
    trend: Int8Array
    points: IntArray
    reason_keys: tuple[tuple[str, ...], ...]


def suggest_levels(
    change: ChangeResult,
    hot_cells: npt.ArrayLike | None = None,
    growing_cells: npt.ArrayLike | None = None,
    *,
    rule: LevelRule = LevelRule(),
) -> AreaLevels:
    """Suggest a level per area.

    ``hot_cells[a]``: number of significant hot-spot cells in area ``a`` in the period;
    ``growing_cells[a]``: number of its cells with a new, consecutive or intensifying emerging
    hot-spot pattern. ``None`` where there is no cell-level data (e.g. police events only).
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
    for a in range(n):
        area_keys = [f"change_{Verdict(int(verdict[a])).name.lower()}"]
        if strong[a]:
            area_keys.append("change_strong")
        if hot[a] > 0:
            area_keys.append("hot_spot")
        if growing[a] > 0:
            area_keys.append("growing_hot_spot")
        if hot[a] == 0 and growing[a] == 0 and hot_cells is not None:
            area_keys.append("no_hot_spot")
        if small[a]:
            area_keys.append("small_numbers")
        keys.append(tuple(area_keys))
    return AreaLevels(
        level=level.astype(np.int8),
        trend=trend.astype(np.int8),
        points=points,
        reason_keys=tuple(keys),
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
        raise ValueError("an override of the suggested level or trend needs a reason")
    return LevelDecision(
        suggested_level=s_level,
        suggested_trend=s_trend,
        level=chosen_level,
        trend=chosen_trend,
        overridden=overridden,
        reason=text,
    )
