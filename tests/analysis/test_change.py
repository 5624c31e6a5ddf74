from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from samtrygg.analysis.change import (
    VERDICT_KEYS,
    Verdict,
    _beta_binomial_tails,
    binomial_two_sided,
    compare_to_baseline,
)
from tests.analysis.conftest import PROPERTY


def doubled(lower: float, upper: float) -> float:
    return min(1.0, 2 * min(lower, upper))


def test_poisson_path_is_the_conditional_binomial_test() -> None:
    current = np.array([30, 10, 2, 0])
    baseline = np.array([[10, 12, 9, 11], [9, 11, 10, 10], [10, 9, 12, 8], [0, 0, 0, 0]])
    result = compare_to_baseline(current, baseline)
    assert result.method == "poisson"
    for a in range(4):
        n = current[a] + baseline[a].sum()
        if n == 0:
            assert result.p[a] == 1.0
            continue
        ref = doubled(stats.binom.cdf(current[a], n, 0.2), stats.binom.sf(current[a] - 1, n, 0.2))
        assert np.isclose(result.p[a], ref, rtol=1e-10)
    assert result.expected.tolist() == [10.5, 10.0, 9.75, 0.0]
    assert [Verdict(v) for v in result.verdict] == [
        Verdict.MORE,
        Verdict.USUAL,
        Verdict.LESS,
        Verdict.USUAL,
    ]
    assert np.isnan(result.ratio[3])
    assert int(result.observed[0]) == 30 and result.q[0] <= result.alpha


def test_exposure_scales_the_expectation() -> None:
    result = compare_to_baseline(
        [20], [[10, 10]], current_exposure=2.0, baseline_exposure=[1.0, 1.0]
    )
    assert result.expected[0] == 20.0
    assert np.isclose(result.p[0], binomial_two_sided(20, 40, 0.5))
    with pytest.raises(ValueError):
        compare_to_baseline([1], [[1, 1]], baseline_exposure=[1.0, 0.0])


def test_overdispersion_is_detected_and_used() -> None:
    rng = np.random.default_rng(4)
    areas, periods = 30, 8
    poisson = rng.poisson(15, (areas, periods))
    assert compare_to_baseline(poisson[:, -1], poisson[:, :-1]).method == "poisson"
    # gamma-mixed counts around the same mean: variance far above the mean
    rates = rng.gamma(2.0, 7.5, (areas, periods))
    overdispersed = rng.poisson(rates)
    result = compare_to_baseline(overdispersed[:, -1], overdispersed[:, :-1])
    assert result.method == "negative_binomial"
    assert result.dispersion > 1.5 and result.dispersion_p < 1e-6
    # the same counts judged as Poisson would flag more areas
    plain = compare_to_baseline(overdispersed[:, -1], overdispersed[:, :-1], dispersion_alpha=0.0)
    assert plain.method == "poisson"
    assert (result.verdict != 0).sum() < (plain.verdict != 0).sum()


def test_beta_binomial_tails_match_scipy() -> None:
    k = np.array([0, 3, 50, 400, 2500, 5000])
    n = np.array([0, 20, 100, 1500, 5000, 5000])
    a = np.array([1.0, 2.0, 3.0, 0.7, 10.0, 4.0])
    b = np.array([1.0, 5.0, 4.0, 1.3, 10.0, 4.0])
    lower, upper = _beta_binomial_tails(k, n, a, b)
    for i in range(1, 4):  # exact range
        assert np.isclose(lower[i], stats.betabinom.cdf(k[i], n[i], a[i], b[i]), rtol=1e-10)
        assert np.isclose(upper[i], stats.betabinom.sf(k[i] - 1, n[i], a[i], b[i]), rtol=1e-10)
    for i in range(4, 6):  # beta limit above 2000
        assert abs(lower[i] - stats.betabinom.cdf(k[i], n[i], a[i], b[i])) < 1e-3
    assert lower[0] == upper[0] == 1.0


def test_no_baseline_cannot_be_assessed() -> None:
    result = compare_to_baseline([4, 0], np.zeros((2, 0)))
    assert [Verdict(v) for v in result.verdict] == [Verdict.NOT_ASSESSED] * 2
    assert np.all(result.p == 1) and np.all(result.q == 1)
    assert VERDICT_KEYS[Verdict(int(result.verdict[0]))] == "not_assessed"


@pytest.mark.parametrize("bad", [([-1], [[1]]), ([1.5], [[1]]), ([np.nan], [[1]]), ([1, 2], [[1]])])
def test_invalid_counts_raise(bad: tuple[list[float], list[list[float]]]) -> None:
    with pytest.raises(ValueError):
        compare_to_baseline(*bad)


counts = st.integers(min_value=0, max_value=400)


@PROPERTY
@given(
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=0, max_value=9),
    st.data(),
)
def test_properties(areas: int, periods: int, data: st.DataObject) -> None:
    current = np.asarray(data.draw(st.lists(counts, min_size=areas, max_size=areas)))
    baseline = np.asarray(
        data.draw(st.lists(counts, min_size=areas * periods, max_size=areas * periods))
    ).reshape(areas, periods)
    if data.draw(st.booleans()) and areas:
        current[0] = 10**7  # a single huge count
    result = compare_to_baseline(current, baseline)
    assert np.all((result.p >= 0) & (result.p <= 1))
    assert np.all((result.q >= 0) & (result.q <= 1))
    assert np.all(result.q >= result.p)
    perm = np.random.default_rng(areas * 31 + periods).permutation(areas)
    permuted = compare_to_baseline(current[perm], baseline[perm])
    assert np.allclose(permuted.p, result.p[perm], rtol=1e-9, atol=1e-15)
    assert np.array_equal(permuted.verdict, result.verdict[perm])
    # all zeros: nothing to see
    zeros = compare_to_baseline(np.zeros(areas), np.zeros((areas, periods)))
    assert np.all(zeros.p == 1)
