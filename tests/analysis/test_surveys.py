"""Survey indicators on hand-computed distributions (weighted and unweighted, T1/T1b, code 9).

The Wilson limits below were worked out from the formula with z = 1.959963984540054:
for p = 30/40, n = 40: centre = (0.75 + z²/80) / (1 + z²/40) = 0.728095, half-width 0.130034.
"""

from __future__ import annotations

import numpy as np
import pytest

from samtrygg.analysis import surveys as s


def test_wilson_hand_computed() -> None:
    low, high = s.wilson(0.75, 40)
    assert low == pytest.approx(0.598060, abs=1e-6)
    assert high == pytest.approx(0.858129, abs=1e-6)
    low, high = s.wilson(0.5, 100)
    assert (low, high) == pytest.approx((0.403832, 0.596168), abs=1e-6)


def test_wilson_at_the_edges_stays_within_zero_and_one() -> None:
    low, high = s.wilson(0.0, 30)
    assert low == 0.0 and 0 < high < 0.2
    low, high = s.wilson(1.0, 30)
    assert high == pytest.approx(1.0) and 0.8 < low < 1


def test_t2_unweighted_share_and_flag() -> None:
    # 10 × "Nej", 20 × "Ja, ibland", 10 × "Ja, ofta", 5 without an answer (0)
    codes = [1] * 10 + [2] * 20 + [3] * 10 + [0] * 5
    result = s.item_indicator("T2", {"T2": codes})
    assert result.n == 40
    assert result.share == pytest.approx(0.75)
    assert result.n_eff == pytest.approx(40)
    assert (result.ci_low, result.ci_high) == pytest.approx((0.598060, 0.858129), abs=1e-6)
    assert result.flag == "osaker"


def test_t1_counts_five_only_with_t1b_yes() -> None:
    # one block: T1 = 1, 2, 3, 4, 5 (T1b 1), 5 (T1b 2), 5 (T1b missing), missing
    t1 = [1, 2, 3, 4, 5, 5, 5, 0] * 5
    t1b = [0, 0, 0, 0, 1, 2, 0, 0] * 5
    result = s.item_indicator("T1", {"T1": t1, "T1b": t1b})
    # valid: 7 a block (code 0 left out); positive: 3, 4 and 5-with-1 = 3 a block
    assert result.n == 35
    assert result.share == pytest.approx(15 / 35)
    assert (result.ci_low, result.ci_high) == pytest.approx((0.279846, 0.591426), abs=1e-6)
    valid, positive = s.t1_positive([5, 5, 3], [1, 2, 0])
    assert valid.tolist() == [True, True, True]
    assert positive.tolist() == [True, False, True]


def test_t1_without_t1b_does_not_count_five() -> None:
    result = s.item_indicator("T1", {"T1": [5] * 30 + [3] * 10})
    assert result.share == pytest.approx(10 / 40)


def test_problem_items_leave_code_nine_out() -> None:
    codes = [1] * 10 + [2] * 10 + [3] * 10 + [4] * 5 + [9] * 20
    result = s.item_indicator("P3", {"P3": codes})
    assert result.n == 35
    assert result.share == pytest.approx(15 / 35)


def test_trust_items_count_agreement_and_leave_nine_out() -> None:
    codes = [1] * 12 + [2] * 18 + [3] * 6 + [4] * 4 + [9] * 30
    result = s.item_indicator("F1", {"F1": codes})
    assert result.n == 40
    assert result.share == pytest.approx(30 / 40)
    f3 = s.item_indicator("F3", {"F3": [1] * 10 + [2] * 10 + [3] * 5 + [4] * 5 + [5] * 10})
    assert f3.n == 40 and f3.share == pytest.approx(0.5)


def test_worry_and_victim_items() -> None:
    assert s.item_indicator("O2", {"O2": [1] * 20 + [2] * 10 + [3] * 6 + [4] * 4}).share == (
        pytest.approx(10 / 40)
    )
    assert s.item_indicator("U5", {"U5": [1] * 30 + [2] * 6 + [3] * 4}).share == pytest.approx(
        10 / 40
    )


def test_weighted_share_and_effective_n() -> None:
    # 15 × "Nej" with weight 1, 15 × "Ja, ibland" with weight 3:
    # share = 45 / 60 = 0.75; n_eff = 60² / (15·1 + 15·9) = 3600 / 150 = 24
    codes = [1] * 15 + [2] * 15
    weights = [1.0] * 15 + [3.0] * 15
    result = s.item_indicator("T2", {"T2": codes}, weights)
    assert result.n == 30
    assert result.share == pytest.approx(0.75)
    assert result.n_eff == pytest.approx(24)
    assert (result.ci_low, result.ci_high) == pytest.approx((0.551006, 0.880006), abs=1e-6)
    assert result.flag == "osaker"


def test_weighted_t1_with_t1b() -> None:
    # T1 = 5 with T1b 1 weighs 2, with T1b 2 weighs 1; 28 "Mycket trygg" weigh 1:
    # share = 2 / (2 + 1 + 28) = 2/31
    t1 = [5, 5] + [1] * 28
    t1b = [1, 2] + [0] * 28
    weights = [2.0, 1.0] + [1.0] * 28
    result = s.item_indicator("T1", {"T1": t1, "T1b": t1b}, weights)
    assert result.n == 30
    assert result.share == pytest.approx(2 / 31)
    assert result.n_eff == pytest.approx(31**2 / (4 + 1 + 28))


def test_under_thirty_is_suppressed_and_hundred_is_not_flagged() -> None:
    small = s.item_indicator("T2", {"T2": [2] * 29})
    assert small.suppressed and small.flag == "undertryckt" and small.n == 29
    assert small.ci_low is None and small.ci_high is None
    large = s.item_indicator("T2", {"T2": [1, 2] * 50})
    assert large.flag == "" and large.share == pytest.approx(0.5)
    empty = s.item_indicator("T2", {"T2": []})
    assert empty.suppressed and empty.n == 0


def test_distribution_counts_and_weighted_shares() -> None:
    rows = s.distribution([1, 1, 2, 9, 0], [1, 2, 9], [1.0, 1.0, 2.0, 4.0, 5.0])
    assert rows == [
        (1, 2, pytest.approx(0.25)),
        (2, 1, pytest.approx(0.25)),
        (9, 1, pytest.approx(0.5)),
    ]


def test_comparison_difference_and_overlap() -> None:
    now = s.indicator(np.array([True] * 60 + [False] * 40))
    before = s.indicator(np.array([True] * 30 + [False] * 70))
    result = s.compare(now, before)
    assert result is not None
    assert result.difference == pytest.approx(0.3)
    assert result.overlap is False
    close = s.compare(now, s.indicator(np.array([True] * 55 + [False] * 45)))
    assert close is not None and close.overlap is True
    assert s.compare(now, s.indicator(np.array([True] * 10))) is None


def test_weights_must_be_positive() -> None:
    with pytest.raises(ValueError):
        s.indicator([True, False], [1.0, 0.0])
