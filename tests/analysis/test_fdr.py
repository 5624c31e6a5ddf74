from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from samtrygg.analysis.fdr import bh_qvalues, bh_reject
from tests.analysis.conftest import PROPERTY

pvalues = st.lists(st.floats(min_value=0.0, max_value=1.0), max_size=60)


def reference_bh(p: np.ndarray) -> np.ndarray:
    """Textbook Benjamini–Hochberg adjusted values, one loop per position."""
    n = p.size
    q = np.empty(n)
    for i in range(n):
        q[i] = min(1.0, min(n * p[j] / (np.sum(p <= p[j])) for j in range(n) if p[j] >= p[i]))
    return q


def test_known_example() -> None:
    # Benjamini & Hochberg (1995), section 4: 15 p-values, 4 rejected at 0.05
    p = np.array(
        [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459, 0.3240,
         0.4262, 0.5719, 0.6528, 0.7590, 1.0000]
    )  # fmt: skip
    assert bh_reject(p, 0.05).sum() == 4
    assert (bh_qvalues(p) <= 0.05).sum() == 4
    assert np.allclose(bh_qvalues(p), reference_bh(p))


def test_ties_get_equal_q_and_empty_input() -> None:
    q = bh_qvalues([0.01, 0.01, 0.5, 0.01])
    assert q[0] == q[1] == q[3]
    assert bh_qvalues([]).shape == (0,)
    assert bh_reject([], 0.05).shape == (0,)


def test_shape_is_kept() -> None:
    p = np.random.default_rng(0).random((4, 5))
    assert bh_qvalues(p).shape == (4, 5)
    assert bh_reject(p, 0.1).shape == (4, 5)


@pytest.mark.parametrize("bad", [[np.nan], [-0.1], [1.5]])
def test_invalid_pvalues_raise(bad: list[float]) -> None:
    with pytest.raises(ValueError):
        bh_qvalues(bad)


@PROPERTY
@given(pvalues)
def test_q_is_bh_and_at_least_p(values: list[float]) -> None:
    p = np.asarray(values)
    q = bh_qvalues(p)
    assert np.all((q >= 0) & (q <= 1))
    assert np.all(q >= p)
    if p.size:
        assert np.allclose(q, reference_bh(p), rtol=1e-12, atol=1e-15)


@PROPERTY
@given(pvalues, st.sampled_from([0.01, 0.05, 0.1, 0.5]))
def test_reject_matches_qvalues(values: list[float], alpha: float) -> None:
    p = np.asarray(values)
    q = bh_qvalues(p)
    reject = bh_reject(p, alpha)
    clear = np.abs(q - alpha) > 1e-12  # away from the boundary where rounding decides
    assert np.array_equal(reject[clear], (q <= alpha)[clear])


@PROPERTY
@given(pvalues, st.integers(min_value=0, max_value=2**32 - 1))
def test_permutation_equivariance(values: list[float], seed: int) -> None:
    p = np.asarray(values)
    perm = np.random.default_rng(seed).permutation(p.size)
    assert np.array_equal(bh_qvalues(p)[perm], bh_qvalues(p[perm]))


@PROPERTY
@given(
    st.lists(
        st.tuples(st.floats(min_value=0.0, max_value=1.0), st.integers(min_value=1, max_value=5)),
        max_size=30,
    )
)
def test_groups_equal_the_family_written_out(groups: list[tuple[float, int]]) -> None:
    from samtrygg.analysis.fdr import bh_qvalues_of_groups

    p = np.asarray([g[0] for g in groups], dtype=np.float64)
    counts = np.asarray([g[1] for g in groups], dtype=np.int64)
    expanded = bh_qvalues(np.repeat(p, counts))
    assert np.array_equal(np.repeat(bh_qvalues_of_groups(p, counts), counts), expanded)


def test_groups_must_have_members() -> None:
    from samtrygg.analysis.fdr import bh_qvalues_of_groups

    with pytest.raises(ValueError):
        bh_qvalues_of_groups([0.1, 0.2], [1, 0])
    with pytest.raises(ValueError):
        bh_qvalues_of_groups([0.1], [1, 2])
