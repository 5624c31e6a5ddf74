"""The effect statistics: the rate ratio and the interrupted time series against statsmodels'
Poisson GLM, the WDQ against hand-computed cases, the regression-to-the-mean flag on
constructed series."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import statsmodels.api as sm

from samtrygg.analysis.effect import (
    ITS_TERMS,
    InsufficientData,
    did,
    its,
    its_design,
    read_wdq,
    regression_to_mean,
    rtm_flag,
    wdq,
)


def glm_did(tb: int, ta: int, cb: int, ca: int, wb: int, wa: int) -> tuple[float, float, float]:
    """log RR, its SE and p as the interaction of a Poisson GLM with an offset of log weeks."""
    y = np.array([tb, ta, cb, ca], dtype=float)
    target = np.array([1, 1, 0, 0], dtype=float)
    after = np.array([0, 1, 0, 1], dtype=float)
    x = np.column_stack([np.ones(4), target, after, target * after])
    offset = np.log(np.array([wb, wa, wb, wa], dtype=float))
    with warnings.catch_warnings():  # a saturated model predicts perfectly, as it should
        warnings.simplefilter("ignore")
        fit = sm.GLM(y, x, family=sm.families.Poisson(), offset=offset).fit(tol=1e-14)
    return float(fit.params[3]), float(fit.bse[3]), float(fit.pvalues[3])


@pytest.mark.parametrize("seed", range(8))
def test_did_matches_the_poisson_glm(seed: int) -> None:
    rng = np.random.default_rng(seed)
    wb, wa = int(rng.integers(4, 27)), int(rng.integers(4, 27))
    tb, ta = (int(rng.poisson(rng.uniform(2, 30) * w)) + 1 for w in (wb, wa))
    cb, ca = (int(rng.poisson(rng.uniform(20, 300) * w)) + 1 for w in (wb, wa))
    result = did(tb, ta, cb, ca, weeks_before=wb, weeks_after=wa)
    log_rr, se, p = glm_did(tb, ta, cb, ca, wb, wa)
    assert math.log(result.rate_ratio) == pytest.approx(log_rr, abs=1e-6)
    assert result.se == pytest.approx(se, abs=1e-6)
    assert result.p == pytest.approx(p, abs=1e-6)
    assert result.ci_low == pytest.approx(math.exp(log_rr - 1.959963984540054 * se), abs=1e-6)
    assert result.ci_high == pytest.approx(math.exp(log_rr + 1.959963984540054 * se), abs=1e-6)
    assert result.ci_low < result.rate_ratio < result.ci_high


def test_did_by_hand() -> None:
    result = did(100, 70, 1000, 1000, weeks_before=12, weeks_after=12)
    assert result.rate_ratio == pytest.approx(0.7)
    se = math.sqrt(1 / 100 + 1 / 70 + 1 / 1000 + 1 / 1000)
    assert result.ci_low == pytest.approx(0.7 * math.exp(-1.959963984540054 * se))
    assert result.target_rates == (100 / 12, 70 / 12)
    assert result.control_rates == (1000 / 12, 1000 / 12)


@pytest.mark.parametrize("zero", range(4))
def test_did_refuses_a_zero_count(zero: int) -> None:
    counts = [10, 12, 100, 90]
    counts[zero] = 0
    with pytest.raises(InsufficientData, match="count of 0"):
        did(*counts, weeks_before=12, weeks_after=12)


def test_did_refuses_nonsense() -> None:
    with pytest.raises(ValueError, match="count"):
        did(-1, 2, 3, 4, weeks_before=1, weeks_after=1)
    with pytest.raises(ValueError, match="week"):
        did(1, 2, 3, 4, weeks_before=0, weeks_after=1)


def test_wdq_hand_computed_cases() -> None:
    # Bowers & Johnson's shape: the target falls from 100 to 50 against a steady control of
    # 1000; the buffer falls from 40 to 30: success −0.05, buffer −0.01, WDQ 0.2.
    assert wdq(100, 50, 40, 30, 1000, 1000) == pytest.approx(0.2)
    # the buffer rises from 40 to 60 instead: displacement, −0.4
    assert wdq(100, 50, 40, 60, 1000, 1000) == pytest.approx(-0.4)
    # the control halves: A 100→50 is no change relative to it, the denominator is 0
    assert wdq(100, 50, 40, 30, 1000, 500) is None
    # control counts differ: (20/400 − 30/500) / (40/400 − 60/500) = (0.05−0.06)/(0.1−0.12)
    assert wdq(60, 40, 30, 20, 500, 400) == pytest.approx(0.5)
    assert wdq(1, 2, 3, 4, 0, 5) is None


def test_wdq_reading() -> None:
    assert read_wdq(100, 50, 40, 30, 1000, 1000).kind == "diffusion"
    assert read_wdq(100, 50, 40, 60, 1000, 1000).kind == "displacement"
    assert read_wdq(100, 50, 40, 100, 1000, 1000).kind == "displacement_exceeds"  # −1.2
    assert read_wdq(100, 50, 100, 20, 1000, 1000).kind == "diffusion_exceeds"  # 1.6
    assert read_wdq(100, 50, 40, 40, 1000, 1000).kind == "neither"
    rising = read_wdq(50, 100, 40, 30, 1000, 1000)
    assert rising.kind == "no_success" and rising.success_measure == pytest.approx(0.05)
    assert read_wdq(100, 50, 40, 30, 1000, 500).kind == "undefined"
    assert read_wdq(100, 50, 40, 30, 0, 500).kind == "undefined"


def _series(seed: int, n: int, start: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    after = t >= start
    mu = np.exp(2.3 + 0.01 * t - 0.4 * after - 0.02 * (t - start) * after)
    return rng.poisson(mu)


@pytest.mark.parametrize(
    ("seed", "n", "start"), [(1, 24, 12), (2, 40, 30), (3, 16, 4), (4, 60, 20)]
)
def test_its_matches_the_poisson_glm(seed: int, n: int, start: int) -> None:
    y = _series(seed, n, start)
    result = its(y, start)
    fit = sm.GLM(y, its_design(n, start), family=sm.families.Poisson()).fit(tol=1e-14)
    np.testing.assert_allclose(result.params, fit.params, atol=1e-6)
    np.testing.assert_allclose(result.se, fit.bse, atol=1e-6)
    np.testing.assert_allclose(result.p, fit.pvalues, atol=1e-6)
    ci = fit.conf_int()
    np.testing.assert_allclose(result.ci_low, ci[:, 0], atol=1e-6)
    np.testing.assert_allclose(result.ci_high, ci[:, 1], atol=1e-6)
    np.testing.assert_allclose(result.fitted, fit.fittedvalues, rtol=1e-6)
    level, low, high = result.rate_ratio("level_change")
    assert low < level < high
    assert ITS_TERMS[2] == "level_change"


def test_its_with_zero_weeks_still_matches() -> None:
    y = np.array([0, 2, 1, 0, 3, 1, 0, 2, 0, 0, 1, 0, 0, 1])
    result = its(y, 8)
    fit = sm.GLM(y, its_design(14, 8), family=sm.families.Poisson()).fit(tol=1e-14)
    np.testing.assert_allclose(result.params, fit.params, atol=1e-6)
    np.testing.assert_allclose(result.se, fit.bse, atol=1e-6)


def test_its_refuses_what_it_cannot_fit() -> None:
    with pytest.raises(InsufficientData):
        its([1, 2, 3, 4, 5], 4)  # one week after
    with pytest.raises(InsufficientData):
        its([0, 0, 0, 0, 5, 6], 4)  # nothing before
    with pytest.raises(ValueError, match="whole"):
        its([1.5, 2, 3, 4, 5, 6], 3)


def test_rtm_flag_on_constructed_series() -> None:
    steady = [10] * 30
    assert not rtm_flag(steady)
    peak = [10] * 26 + [16, 16, 16, 16]  # 16 > 1.5 × 10 = 15
    check = regression_to_mean(peak)
    assert check.flag and check.recent_mean == 16 and check.baseline_mean == 10
    assert not rtm_flag([10] * 26 + [15, 15, 15, 15])  # exactly 1.5 × is no peak
    # only the last 30 weeks count: an old peak is forgotten
    assert not rtm_flag([50] * 10 + [10] * 30)
    # a rise that lasted all along is no peak
    assert not rtm_flag([20] * 30)
    assert rtm_flag([0] * 26 + [0, 0, 0, 1])
    assert not rtm_flag([0] * 30)
    with pytest.raises(InsufficientData):
        rtm_flag([10] * 29)
