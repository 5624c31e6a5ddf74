from __future__ import annotations

import warnings

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given
from hypothesis import strategies as st

from samtrygg.analysis import grid
from samtrygg.analysis.hotspots import confidence_bins, gi_star, gi_star_z
from tests.analysis.conftest import FALUN_RES9, PROPERTY, graphs_and_values, random_graph

esda = pytest.importorskip("esda")
libpysal = pytest.importorskip("libpysal")


def esda_z(values: np.ndarray, matrix: sp.csr_array) -> np.ndarray:
    weights = libpysal.weights.W(grid.neighbors_dict(matrix), silence_warnings=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        local_g = esda.G_Local(values, weights, star=True, transform="B", permutations=0)
    return np.asarray(local_g.Zs, dtype=np.float64)


def assert_matches_esda(values: np.ndarray, matrix: sp.csr_array) -> None:
    ours = gi_star(values, matrix).z
    theirs = esda_z(values, matrix)
    finite = np.isfinite(theirs)
    assert np.max(np.abs(ours[finite] - theirs[finite]), initial=0.0) < 1e-9


@pytest.mark.parametrize("radius", [3, 12])
def test_matches_esda_on_h3_grids(h3i, radius: int) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(radius)
    cells = np.asarray(h3i.grid_disk(FALUN_RES9, radius), dtype=np.int64)
    matrix = grid.neighbors_csr(cells)
    counts = rng.poisson(1.5, cells.size).astype(np.float64)
    counts[rng.integers(0, cells.size, 5)] += 40
    assert_matches_esda(counts, matrix)


@pytest.mark.parametrize(("n", "density"), [(40, 0.05), (300, 0.01), (2000, 0.002)])
def test_matches_esda_on_random_graphs_with_islands(n: int, density: float) -> None:
    rng = np.random.default_rng(n)
    matrix = random_graph(rng, n, density)
    assert (np.diff(matrix.indptr) == 0).any()  # islands present
    for values in (rng.poisson(3, n).astype(float), rng.gamma(0.5, 10, n)):
        assert_matches_esda(values, matrix)


def test_island_uses_itself_alone() -> None:
    matrix = sp.csr_array((3, 3))
    values = np.array([1.0, 2.0, 6.0])
    z = gi_star(values, matrix).z
    assert np.allclose(z, (values - values.mean()) / values.std())


def test_defined_where_esda_is_not() -> None:
    line = sp.csr_array(np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]], dtype=float))
    for values in (np.zeros(3), np.full(3, 7.0)):
        result = gi_star(values, line)
        assert np.all(result.z == 0) and np.all(result.p == 1) and np.all(result.q == 1)
    single = gi_star([5.0], sp.csr_array((1, 1)))
    assert single.z.tolist() == [0.0] and single.p.tolist() == [1.0]
    empty = gi_star(np.array([]), sp.csr_array((0, 0)))
    assert empty.z.shape == empty.p.shape == empty.q.shape == (0,)
    # the middle cell sees the whole grid: nothing to compare with
    assert gi_star([1.0, 5.0, 2.0], line).z[1] == 0.0


@pytest.mark.parametrize("bad", [[1.0, np.nan, 2.0], [1.0, -1.0, 2.0], [1.0, np.inf, 0.0]])
def test_invalid_values_raise(bad: list[float]) -> None:
    with pytest.raises(ValueError):
        gi_star(bad, sp.csr_array((3, 3)))


def test_invalid_neighbors_raise() -> None:
    with pytest.raises(ValueError, match="binary"):
        gi_star([1.0, 2.0], sp.csr_array(np.array([[0, 2.0], [2.0, 0]])))
    with pytest.raises(ValueError, match="self-loops"):
        gi_star([1.0, 2.0], sp.csr_array(np.array([[1.0, 1.0], [1.0, 0]])))
    with pytest.raises(ValueError, match="symmetric"):
        gi_star([1.0, 2.0, 3.0], sp.csr_array(np.array([[0, 1.0, 1.0], [0, 0, 0], [0, 0, 0]])))
    with pytest.raises(ValueError, match="3×3"):
        gi_star([1.0, 2.0], sp.csr_array((3, 3)))
    with pytest.raises(TypeError):
        gi_star([1.0], np.zeros((1, 1)))  # type: ignore[arg-type]
    duplicated = sp.csr_array(
        (np.ones(4), np.array([1, 1, 0, 0]), np.array([0, 2, 4])), shape=(2, 2)
    )  # the same neighbour stored twice would count twice
    with pytest.raises(ValueError, match="binary"):
        gi_star([1.0, 2.0], duplicated)


def test_a_planted_cluster_is_a_hot_spot(h3i) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(3)
    cells = np.asarray(h3i.grid_disk(FALUN_RES9, 15), dtype=np.int64)
    counts = rng.poisson(1.0, cells.size).astype(float)
    cluster = np.isin(cells, h3i.grid_disk(int(cells[100]), 1))
    counts[cluster] += 12
    result = gi_star(counts, grid.neighbors_csr(cells))
    assert result.bins()[100] == 3 and result.q[100] < 0.01
    assert confidence_bins([2.0, -2.0, 2.0], [0.005, 0.04, 0.2]).tolist() == [3, -2, 0]


def test_many_layers_equal_single_calls() -> None:
    rng = np.random.default_rng(5)
    matrix = random_graph(rng, 60, 0.08)
    layers = rng.poisson(2, (60, 7)).astype(float)
    layers[:, 3] = 0.0
    stacked = gi_star_z(layers, matrix)
    for t in range(7):
        assert np.allclose(stacked[:, t], gi_star(layers[:, t], matrix).z, rtol=1e-12, atol=1e-12)


@PROPERTY
@given(graphs_and_values(), st.integers(min_value=0, max_value=2**32 - 1))
def test_properties(graph_values: tuple[sp.csr_array, np.ndarray], seed: int) -> None:
    matrix, values = graph_values
    result = gi_star(values, matrix)
    n = values.size
    for arr in (result.z, result.p, result.q):
        assert arr.shape == (n,)
    assert np.all(np.isfinite(result.z))
    assert np.all((result.p >= 0) & (result.p <= 1))
    assert np.all((result.q >= 0) & (result.q <= 1))
    assert np.all(result.q >= result.p)
    # permuted inputs give permuted outputs
    perm = np.random.default_rng(seed).permutation(n)
    permuted = gi_star(values[perm], sp.csr_array(matrix.toarray()[np.ix_(perm, perm)]))
    assert np.allclose(permuted.z, result.z[perm], rtol=1e-9, atol=1e-9)
    assert np.allclose(permuted.q, result.q[perm], rtol=1e-9, atol=1e-12)
    # duplicated points (every count doubled) leave Gi* unchanged
    assert np.allclose(gi_star(2 * values, matrix).z, result.z, rtol=1e-9, atol=1e-9)


@PROPERTY
@given(graphs_and_values(max_cells=15))
def test_agrees_with_esda_wherever_esda_is_finite(
    graph_values: tuple[sp.csr_array, np.ndarray],
) -> None:
    matrix, values = graph_values
    if values.size < 2:
        return
    assert_matches_esda(values, matrix)


def test_single_huge_count_and_all_zeros(h3i) -> None:  # type: ignore[no-untyped-def]
    cells = np.asarray(h3i.grid_disk(FALUN_RES9, 4), dtype=np.int64)
    matrix = grid.neighbors_csr(cells)
    values = np.zeros(cells.size)
    values[0] = 1e15
    result = gi_star(values, matrix)
    assert result.z[0] > 0 and np.all(np.isfinite(result.z))
    assert np.all(result.q >= result.p)
    assert_matches_esda(values, matrix)
    zeros = gi_star(np.zeros(cells.size), matrix)
    assert np.all(zeros.z == 0) and np.all(zeros.q == 1)


@PROPERTY
@given(graphs_and_values(), st.booleans())
def test_grouped_p_and_q_equal_the_cell_by_cell_computation(
    graph_values: tuple[sp.csr_array, np.ndarray], halves: bool
) -> None:
    """Whole counts take the grouped path (p and q once per equal sum and degree); the
    result is bit for bit what the per-cell formulas give. Halves take the other path."""
    from samtrygg.analysis.fdr import bh_qvalues
    from samtrygg.analysis.hotspots import two_sided_p

    matrix, values = graph_values
    if halves:
        values = values + 0.5
    result = gi_star(values, matrix)
    p = two_sided_p(result.z)
    assert np.array_equal(result.p, p)
    assert np.array_equal(result.q, bh_qvalues(p))


def test_grouped_path_on_a_kommun_sized_grid_equals_the_cell_by_cell_computation(  # type: ignore[no-untyped-def]
    h3i,
) -> None:
    from samtrygg.analysis.fdr import bh_qvalues
    from samtrygg.analysis.hotspots import _same_statistic_groups, two_sided_p

    cells = np.unique(np.asarray(h3i.grid_disk(FALUN_RES9, 40), dtype=np.int64))
    matrix = grid.neighbors_csr(cells)
    rng = np.random.default_rng(7)
    values = rng.poisson(rng.gamma(0.3, 2.0, cells.size)).astype(np.float64)
    sums = matrix @ values + values
    assert _same_statistic_groups(sums, np.diff(matrix.indptr)) is not None
    result = gi_star(values, matrix)
    p = two_sided_p(result.z)
    assert np.array_equal(result.p, p)
    assert np.array_equal(result.q, bh_qvalues(p))
