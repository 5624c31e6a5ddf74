from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from samtrygg.analysis.rates import compare_within_county, poisson_interval, rates_per_100k
from tests.analysis.conftest import PROPERTY


def test_garwood_interval() -> None:
    x = np.array([0, 1, 5, 10, 100, 2000])
    lower, upper = poisson_interval(x)
    expected_lower = [0.0] + [stats.chi2.ppf(0.025, 2 * k) / 2 for k in x[1:]]
    expected_upper = [stats.chi2.ppf(0.975, 2 * k + 2) / 2 for k in x]
    assert np.allclose(lower, expected_lower, rtol=1e-10)
    assert np.allclose(upper, expected_upper, rtol=1e-10)
    assert np.isclose(upper[0], 3.6889, atol=1e-4)  # the "rule of 3.7" for zero events


def test_rates_per_100k() -> None:
    result = rates_per_100k([10, 0, 300], [20_000, 0, 100_000], years=2.0)
    assert result.rate[0] == 25.0 and result.rate[2] == 150.0
    assert np.isnan(result.rate[1]) and np.isnan(result.upper[1])
    assert result.lower[0] < 25 < result.upper[0]
    with pytest.raises(ValueError):
        rates_per_100k([1], [-5])
    with pytest.raises(ValueError):
        rates_per_100k([1], [5], years=0)


def test_kommuner_of_a_lan() -> None:
    counts = np.array([100, 50, 600, 20])
    population = np.array([20_000, 18_000, 100_000, 9_000])
    result = compare_within_county(counts, population)
    assert result.flag.tolist() == [0, -1, 1, -1]
    assert np.isclose(result.county.rate[0], counts.sum() / population.sum() * 1e5)
    assert np.allclose(result.ratio_to_county, result.rates.rate / result.county.rate[0])
    rest = (counts.sum() - counts) / (population.sum() - population)
    assert np.allclose(result.ratio_to_rest, counts / population / rest)
    assert np.all(result.ratio_lower <= result.ratio_to_rest)
    assert np.all(result.ratio_to_rest <= result.ratio_upper)
    assert np.array_equal(result.pair_p, result.pair_p.T)
    assert np.array_equal(result.pair_flag, -result.pair_flag.T)
    assert result.pair_flag[2, 1] == 1 and np.all(np.diag(result.pair_p) == 1)


def test_single_kommun_and_empty_lan() -> None:
    one = compare_within_county([5], [1000])
    assert one.p.tolist() == [1.0] and one.pair_p.shape == (1, 1)
    empty = compare_within_county(np.zeros(0), np.zeros(0))
    assert empty.p.shape == (0,)


@PROPERTY
@given(st.lists(st.tuples(st.integers(0, 5000), st.integers(0, 500_000)), min_size=1, max_size=15))
def test_properties(rows: list[tuple[int, int]]) -> None:
    counts = np.asarray([r[0] for r in rows])
    population = np.asarray([r[1] for r in rows], dtype=float)
    result = compare_within_county(counts, population)
    rates = result.rates
    ok = population > 0
    assert np.all(rates.lower[ok] <= rates.rate[ok]) and np.all(rates.rate[ok] <= rates.upper[ok])
    for p, q in ((result.p, result.q), (result.pair_p, result.pair_q)):
        assert np.all((p >= 0) & (p <= 1)) and np.all((q >= 0) & (q <= 1)) and np.all(q >= p)
