from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from samtrygg.analysis.hottimes import hot_times
from tests.analysis.conftest import PROPERTY


def test_planted_hour_is_found() -> None:
    rng = np.random.default_rng(0)
    hours = rng.integers(0, 168, 6000)
    cats = rng.integers(0, 4, 6000)
    # category 2 piles up on Friday 22–23 (hour 4·24 + 22 = 118)
    hours[:200], cats[:200] = 118, 2
    result = hot_times(hours, cats, 4)
    assert result.flag[118, 2] == 1
    assert result.observed.sum() == 6000 and result.observed.shape == (168, 4)
    assert np.isclose(result.expected.sum(), 6000)
    assert (result.flag == 1).sum() <= 3
    assert result.total_flag[118] == 1


def test_matches_binomial_reference() -> None:
    hours = np.array([0, 0, 0, 1, 2, 2, 5, 5, 5, 5])
    cats = np.array([0, 0, 1, 1, 0, 1, 0, 0, 0, 1])
    result = hot_times(hours, cats, 2)
    rows = result.observed.sum(axis=1)
    n = rows.sum()
    for h in (0, 5):
        for k in (0, 1):
            c = result.observed[:, k].sum()
            o = result.observed[h, k]
            ref = min(
                1,
                2 * min(stats.binom.cdf(o, c, rows[h] / n), stats.binom.sf(o - 1, c, rows[h] / n)),
            )
            assert np.isclose(result.p[h, k], ref)


def test_one_category_flags_nothing_and_weights_count() -> None:
    result = hot_times([3, 3, 3, 4], [0, 0, 0, 0], 1, weights=[1, 2, 3, 1])
    assert result.observed[3, 0] == 6
    assert np.all(result.flag == 0)
    empty = hot_times([], [], 3)
    assert empty.observed.sum() == 0 and np.all(empty.p == 1)


@pytest.mark.parametrize(("hours", "cats"), [([168], [0]), ([-1], [0]), ([0], [3]), ([0, 1], [0])])
def test_invalid_input_raises(hours: list[int], cats: list[int]) -> None:
    with pytest.raises(ValueError):
        hot_times(hours, cats, 3)


@PROPERTY
@given(
    st.lists(st.tuples(st.integers(0, 167), st.integers(0, 4)), max_size=300),
    st.integers(0, 2**32 - 1),
)
def test_properties(records: list[tuple[int, int]], seed: int) -> None:
    hours = np.asarray([r[0] for r in records], dtype=np.int64)
    cats = np.asarray([r[1] for r in records], dtype=np.int64)
    result = hot_times(hours, cats, 5)
    for p, q in ((result.p, result.q), (result.total_p, result.total_q)):
        assert np.all((p >= 0) & (p <= 1)) and np.all((q >= 0) & (q <= 1)) and np.all(q >= p)
    perm = np.random.default_rng(seed).permutation(hours.size)
    again = hot_times(hours[perm], cats[perm], 5)
    assert np.array_equal(again.observed, result.observed)
    assert np.array_equal(again.flag, result.flag)
