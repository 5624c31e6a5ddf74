from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from samtrygg.analysis.trend import mann_kendall
from tests.analysis.conftest import PROPERTY


def reference(row: np.ndarray) -> tuple[int, float]:
    t = row.size
    s = sum(np.sign(row[j] - row[i]) for i in range(t) for j in range(i + 1, t))
    _, ties = np.unique(row, return_counts=True)
    var = (t * (t - 1) * (2 * t + 5) - np.sum(ties * (ties - 1) * (2 * ties + 5))) / 18
    z = 0.0 if var <= 0 or s == 0 else (s - np.sign(s)) / np.sqrt(var)
    return int(s), float(z)


def test_matches_definition_with_ties() -> None:
    rng = np.random.default_rng(0)
    series = rng.poisson(2, (300, 12)).astype(float)
    result = mann_kendall(series)
    for i in range(300):
        s, z = reference(series[i])
        assert result.s[i] == s
        assert np.isclose(result.z[i], z, rtol=1e-12, atol=1e-12)


def test_tau_equals_kendall_tau_a_without_ties() -> None:
    rng = np.random.default_rng(1)
    series = rng.normal(size=(20, 15))
    result = mann_kendall(series)
    for i in range(20):
        tau_b = stats.kendalltau(np.arange(15), series[i]).statistic
        assert np.isclose(result.tau[i], tau_b)


def test_monotone_series_is_a_significant_trend() -> None:
    up = mann_kendall(np.arange(12.0))
    assert up.s[0] == 66 and up.p[0] < 0.001 and up.z[0] > 0
    down = mann_kendall(-np.arange(12.0))
    assert down.z[0] == -up.z[0]


def test_degenerate_series() -> None:
    flat = mann_kendall(np.zeros((3, 10)))
    assert np.all(flat.z == 0) and np.all(flat.p == 1)
    short = mann_kendall(np.zeros((2, 1)))
    assert np.all(short.p == 1)
    assert mann_kendall(np.zeros((0, 5))).z.shape == (0,)


@PROPERTY
@given(st.lists(st.integers(min_value=0, max_value=5), min_size=1, max_size=30))
def test_reversal_negates_and_p_is_a_probability(values: list[int]) -> None:
    x = np.asarray(values, dtype=float)
    forward, backward = mann_kendall(x), mann_kendall(x[::-1])
    assert forward.s[0] == -backward.s[0]
    assert np.isclose(forward.z[0], -backward.z[0])
    assert 0.0 <= forward.p[0] <= 1.0
    assert forward.s[0] == reference(x)[0]
