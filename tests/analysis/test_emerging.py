from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given
from hypothesis import strategies as st

from samtrygg.analysis import grid
from samtrygg.analysis.emerging import PATTERN_KEYS, Pattern, emerging_hotspots
from tests.analysis.conftest import FALUN_RES9, PROPERTY, random_graph

STEPS = 12


@pytest.fixture(scope="module")
def layout(h3i):  # type: ignore[no-untyped-def]
    cells = np.asarray(h3i.grid_disk(FALUN_RES9, 10), dtype=np.int64)
    centre = int(np.flatnonzero(cells == FALUN_RES9)[0])
    cluster = np.isin(cells, h3i.grid_disk(FALUN_RES9, 1))
    return cells, grid.neighbors_csr(cells), centre, cluster


def cube(
    cells: np.ndarray, cluster: np.ndarray, hot: dict[int, float], cold: set[int], seed: int
) -> np.ndarray:
    """Background of about 20 per cell; the cluster gets ``hot[t]`` extra, or 0 when cold."""
    rng = np.random.default_rng(seed)
    counts = rng.poisson(20, (cells.size, STEPS)).astype(float)
    for t, extra in hot.items():
        counts[cluster, t] += extra
    for t in cold:
        counts[cluster, t] = 0
    return counts


CASES = {
    Pattern.NEW_HOT: ({11: 25.0}, set()),
    Pattern.CONSECUTIVE_HOT: ({9: 25.0, 10: 25.0, 11: 25.0}, set()),
    Pattern.INTENSIFYING_HOT: ({t: 10.0 + 4 * t for t in range(STEPS)}, set()),
    Pattern.PERSISTENT_HOT: (dict.fromkeys(range(STEPS), 25.0), set()),
    Pattern.DIMINISHING_HOT: ({t: 54.0 - 4 * t for t in range(STEPS)}, set()),
    Pattern.SPORADIC_HOT: ({2: 25.0, 6: 25.0, 11: 25.0}, set()),
    Pattern.OSCILLATING_HOT: ({5: 25.0, 11: 25.0}, {2}),
    Pattern.HISTORICAL_HOT: (dict.fromkeys(range(11), 25.0), set()),
    Pattern.NEW_COLD: ({}, {11}),
    Pattern.PERSISTENT_COLD: ({}, set(range(STEPS))),
    Pattern.HISTORICAL_COLD: ({}, set(range(11))),
}


@pytest.mark.parametrize("expected", list(CASES), ids=lambda p: PATTERN_KEYS[p])
def test_planted_patterns(layout, expected: Pattern) -> None:  # type: ignore[no-untyped-def]
    cells, matrix, centre, cluster = layout
    hot, cold = CASES[expected]
    result = emerging_hotspots(cube(cells, cluster, hot, cold, seed=11), matrix)
    assert Pattern(int(result.pattern[centre])) == expected
    # background cells far from the cluster show no hot pattern
    assert (result.pattern > 0).sum() <= 7 + 12


def test_trend_direction(layout) -> None:  # type: ignore[no-untyped-def]
    cells, matrix, centre, cluster = layout
    rising = emerging_hotspots(
        cube(cells, cluster, CASES[Pattern.INTENSIFYING_HOT][0], set(), 1), matrix
    )
    assert rising.trend_z[centre] > 0 and rising.trend_p[centre] < 0.05
    assert rising.bins[centre].tolist() == [1] * STEPS
    assert rising.z.shape == rising.bins.shape == (cells.size, STEPS)


def test_keys_cover_every_pattern() -> None:
    assert set(PATTERN_KEYS) == set(Pattern)
    assert PATTERN_KEYS[Pattern.INTENSIFYING_HOT] == "intensifying_hot_spot"
    assert len(set(PATTERN_KEYS.values())) == len(Pattern)


def test_quiet_cube_has_no_pattern() -> None:
    matrix = random_graph(np.random.default_rng(0), 50, 0.1)
    result = emerging_hotspots(np.zeros((50, STEPS)), matrix)
    assert np.all(result.pattern == 0) and np.all(result.trend_p == 1)
    empty = emerging_hotspots(np.zeros((0, 3)), sp.csr_array((0, 0)))
    assert empty.pattern.shape == (0,)
    with pytest.raises(ValueError):
        emerging_hotspots(np.zeros(5), sp.csr_array((5, 5)))


@PROPERTY
@given(
    st.integers(min_value=1, max_value=30),
    st.integers(min_value=1, max_value=14),
    st.integers(0, 2**32 - 1),
)
def test_permuted_cells_give_permuted_patterns(n: int, steps: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    matrix = random_graph(rng, n, 0.2)
    counts = rng.poisson(rng.uniform(0.1, 5), (n, steps)).astype(float)
    counts[rng.integers(0, n)] += rng.integers(0, 50)
    result = emerging_hotspots(counts, matrix)
    perm = rng.permutation(n)
    permuted = emerging_hotspots(counts[perm], sp.csr_array(matrix.toarray()[np.ix_(perm, perm)]))
    assert np.array_equal(permuted.pattern, result.pattern[perm])
    assert np.all((result.trend_p >= 0) & (result.trend_p <= 1))
    assert set(np.unique(result.pattern)).issubset({int(p) for p in Pattern})
