from __future__ import annotations

import numpy as np
import pytest

from samtrygg.analysis.change import compare_to_baseline
from samtrygg.analysis.levels import (
    Level,
    LevelRule,
    Trend,
    decide_level,
    suggest_levels,
)


@pytest.fixture
def change():  # type: ignore[no-untyped-def]
    # areas: usual, more (×1.5), more (×3), less, small numbers, none before
    current = np.array([100, 150, 300, 50, 3, 12])
    baseline = np.array([[100] * 4, [100] * 4, [100] * 4, [100] * 4, [1] * 4, [0] * 4])
    return compare_to_baseline(current, baseline)


def test_points_levels_and_trends(change) -> None:  # type: ignore[no-untyped-def]
    hot = np.array([0, 0, 1, 0, 2, 0])
    growing = np.array([0, 0, 1, 0, 1, 0])
    levels = suggest_levels(change, hot, growing)
    assert [Level(v) for v in levels.level] == [
        Level.GREEN,
        Level.YELLOW,
        Level.RED,
        Level.GREEN,
        Level.YELLOW,  # would be orange, but 3 events are too few to say more
        Level.ORANGE,  # 12 events after none: more than usual, and more than twice
    ]
    assert levels.points.tolist() == [0, 1, 4, 0, 2, 2]
    assert [Trend(v) for v in levels.trend] == [
        Trend.STEADY,
        Trend.UP,
        Trend.UP,
        Trend.DOWN,
        Trend.UP,
        Trend.UP,
    ]
    assert "small_numbers" in levels.reason_keys[4]
    assert levels.reason_keys[2] == (
        "change_more",
        "change_strong",
        "hot_spot",
        "growing_hot_spot",
    )
    assert levels.reason_keys[0] == ("change_usual", "no_hot_spot")


def test_without_cell_data_and_custom_rule(change) -> None:  # type: ignore[no-untyped-def]
    levels = suggest_levels(change, rule=LevelRule(min_count=1, strong_ratio=1.4))
    assert levels.level.tolist() == [0, 2, 2, 0, 0, 2]
    assert "no_hot_spot" not in levels.reason_keys[0]  # no cells were analysed
    with pytest.raises(ValueError):
        suggest_levels(change, np.zeros(2))


def test_override_needs_a_reason() -> None:
    kept = decide_level(Level.YELLOW, Trend.UP)
    assert not kept.overridden and kept.level == Level.YELLOW
    with pytest.raises(ValueError, match="reason"):
        decide_level(Level.YELLOW, Trend.UP, level=Level.ORANGE, reason="  ")
    chosen = decide_level(1, 1, level=2, reason="Bränder vid skolan i helgen.")
    assert chosen.overridden and chosen.level == Level.ORANGE and chosen.trend == Trend.UP
    assert (
        chosen.suggested_level == Level.YELLOW and chosen.reason == "Bränder vid skolan i helgen."
    )
