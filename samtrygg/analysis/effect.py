"""Did it work? The effect of an action on weekly counts, with displacement.

Four statistics, each for Poisson counts of reports (numpy and scipy only):

* :func:`did` – difference in differences as a rate ratio. With target counts ``T_b`` before
  and ``T_a`` after and control counts ``C_b``, ``C_a`` over the same weeks,

      RR = (T_a / T_b) / (C_a / C_b)
      SE(log RR) = √(1/T_a + 1/T_b + 1/C_a + 1/C_b)
      95 % interval: exp(log RR ± 1.959963984540054 · SE)
      p = 2 · Φ(−|log RR / SE|)

  Target and control share the periods, so the weeks cancel in RR; they give the weekly rates
  shown beside it. The interval is the Wald interval of the interaction term of a saturated
  Poisson log-linear model on the 2 × 2 table (the same as a Poisson GLM with an offset of
  log weeks), which is why it is exact to the GLM. Any count of 0 makes log RR undefined:
  :func:`did` refuses with :class:`InsufficientData`. (Rothman, Greenland & Lash, *Modern
  Epidemiology*, 3rd ed., 2008, ch. 14; Wing, Simon & Bello-Gomez, "Designing difference in
  difference studies", *Annu. Rev. Public Health* 39, 2018.)

* :func:`wdq` – the Weighted Displacement Quotient of Bowers & Johnson (2003) for a target
  area A, a buffer B around it and a control area C, before (b) and after (a):

      WDQ = (B_a/C_a − B_b/C_b) / (A_a/C_a − A_b/C_b)

  ``None`` when the denominator is 0 (the target did not change relative to the control) or
  a control count is 0. Reading (:func:`read_wdq`): the quotient is read only when the target
  improved relative to the control (the denominator is negative, the *success measure*).
  Then a positive WDQ means the buffer improved too: **diffusion of benefits**; a negative one
  means the buffer got worse: **displacement**; above 1 the buffer's gain is larger than the
  target's, below −1 the displacement is larger than the gain (the action did net harm). When
  the target did not improve, there is nothing to displace and the quotient is not read.
  (K. J. Bowers & S. D. Johnson (2003), "Measuring the geographical displacement and
  diffusion of benefit effects of crime prevention activity", *J. Quantitative Criminology*
  19(3):275–301.)

* :func:`its` – an interrupted time series for the target's weekly counts ``y_t``,
  ``t = 0 … n−1``, with the action starting at week ``t₀``: the Poisson regression

      log μ_t = β₀ + β₁·t + β₂·D_t + β₃·(t − t₀)·D_t,   D_t = 1 when t ≥ t₀

  (trend, level change at the start, slope change after), fitted by iteratively reweighted
  least squares: with ``η = Xβ``, ``μ = exp η``, the working response ``z = η + (y − μ)/μ``
  and weights ``W = μ``, repeat ``β = (XᵀWX)⁻¹XᵀWz`` until the deviance
  ``2·Σ[y·log(y/μ) − (y − μ)]`` changes by less than 1e-12 (relative). Standard errors are
  the square roots of the diagonal of ``(XᵀWX)⁻¹`` (the dispersion of a Poisson model is 1),
  intervals and p values are Wald's, as a Poisson GLM reports them. ``exp β₂`` is the rate
  ratio of the level change. (Bernal, Cummins & Gasparrini (2017), "Interrupted time series
  regression for the evaluation of public health interventions: a tutorial", *Int. J.
  Epidemiology* 46(1):348–355; McCullagh & Nelder, *Generalized Linear Models*, 2nd ed., 1989,
  §2.5.)

* :func:`regression_to_mean` – the flag for an action started after a peak: the mean of the
  last 4 weeks before the start is more than 1.5 × the mean of the 26 weeks before those.
  Places are picked *because* they peaked, and a peak tends to fall back by itself, so a
  before/after comparison would credit the action with the fall. (Barnett, van der Pols &
  Dobson (2005), "Regression to the mean: what it is and how to deal with it", *Int. J.
  Epidemiology* 34(1):215–220; Farrell & Pease, on repeat victimisation and hot spots.)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy import stats

from samtrygg.analysis._types import FloatArray

__all__ = [
    "Z95",
    "DidResult",
    "InsufficientData",
    "ItsResult",
    "RtmCheck",
    "WdqReading",
    "did",
    "its",
    "read_wdq",
    "regression_to_mean",
    "rtm_flag",
    "wdq",
]

Z95 = 1.959963984540054  # Φ⁻¹(0.975)
RTM_RECENT_WEEKS = 4
RTM_BASELINE_WEEKS = 26
RTM_FACTOR = 1.5


class InsufficientData(ValueError):
    """The counts cannot carry the statistic (a zero count, too few weeks)."""


def _two_sided_p(z: float) -> float:
    return float(2.0 * stats.norm.sf(abs(z)))


# --- difference in differences -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DidResult:
    """The rate ratio of the target against the control, with its 95 % interval and p."""

    rate_ratio: float
    ci_low: float
    ci_high: float
    p: float
    log_rr: float
    se: float
    target_before: int
    target_after: int
    control_before: int
    control_after: int
    weeks_before: int
    weeks_after: int

    @property
    def target_rates(self) -> tuple[float, float]:
        """Weekly rates of the target, before and after."""
        return self.target_before / self.weeks_before, self.target_after / self.weeks_after

    @property
    def control_rates(self) -> tuple[float, float]:
        """Weekly rates of the control, before and after."""
        return self.control_before / self.weeks_before, self.control_after / self.weeks_after


def _count(value: float, name: str) -> int:
    number = int(value)
    if number != value or number < 0:
        raise ValueError(f"{name} must be a count (a whole number ≥ 0), got {value!r}")
    return number


def did(
    target_before: int,
    target_after: int,
    control_before: int,
    control_after: int,
    *,
    weeks_before: int,
    weeks_after: int,
) -> DidResult:
    """Difference in differences on Poisson counts (see the module docstring).

    Raises :class:`InsufficientData` when any count is 0 (the log rate ratio is undefined) and
    ``ValueError`` when a count is negative or a period has no weeks.
    """
    tb = _count(target_before, "target_before")
    ta = _count(target_after, "target_after")
    cb = _count(control_before, "control_before")
    ca = _count(control_after, "control_after")
    if weeks_before <= 0 or weeks_after <= 0:
        raise ValueError("both periods need at least one week")
    if 0 in (tb, ta, cb, ca):
        raise InsufficientData(
            "a count of 0 leaves the rate ratio undefined "
            f"(target {tb} before, {ta} after; control {cb} before, {ca} after)"
        )
    log_rr = math.log(ta) - math.log(tb) - math.log(ca) + math.log(cb)
    se = math.sqrt(1.0 / ta + 1.0 / tb + 1.0 / ca + 1.0 / cb)
    return DidResult(
        rate_ratio=math.exp(log_rr),
        ci_low=math.exp(log_rr - Z95 * se),
        ci_high=math.exp(log_rr + Z95 * se),
        p=_two_sided_p(log_rr / se),
        log_rr=log_rr,
        se=se,
        target_before=tb,
        target_after=ta,
        control_before=cb,
        control_after=ca,
        weeks_before=int(weeks_before),
        weeks_after=int(weeks_after),
    )


# --- weighted displacement quotient --------------------------------------------------------


def wdq(
    a_before: float,
    a_after: float,
    b_before: float,
    b_after: float,
    c_before: float,
    c_after: float,
) -> float | None:
    """The Weighted Displacement Quotient (Bowers & Johnson 2003; see the module docstring).

    ``None`` when the denominator ``A_a/C_a − A_b/C_b`` is 0 or a control count is 0.
    """
    return read_wdq(a_before, a_after, b_before, b_after, c_before, c_after).value


WdqKind = Literal[
    "undefined",
    "no_success",
    "diffusion",
    "diffusion_exceeds",
    "displacement",
    "displacement_exceeds",
    "neither",
]


@dataclass(frozen=True, slots=True)
class WdqReading:
    """The quotient and how to read it.

    ``kind``: ``undefined`` (no quotient), ``no_success`` (the target did not improve against
    the control, nothing to read), ``diffusion`` (0 < WDQ ≤ 1), ``diffusion_exceeds``
    (WDQ > 1), ``displacement`` (−1 ≤ WDQ < 0), ``displacement_exceeds`` (WDQ < −1) or
    ``neither`` (WDQ = 0).
    """

    value: float | None
    success_measure: float | None
    buffer_measure: float | None
    kind: WdqKind


def read_wdq(
    a_before: float,
    a_after: float,
    b_before: float,
    b_after: float,
    c_before: float,
    c_after: float,
) -> WdqReading:
    """:func:`wdq` with its success and buffer measures and the reading of the value."""
    if c_before == 0 or c_after == 0:
        return WdqReading(None, None, None, "undefined")
    success = a_after / c_after - a_before / c_before
    buffer = b_after / c_after - b_before / c_before
    if success == 0:
        return WdqReading(None, success, buffer, "undefined")
    value = float(buffer / success)
    if success > 0:
        return WdqReading(value, success, buffer, "no_success")
    kind: WdqKind
    if value > 1:
        kind = "diffusion_exceeds"
    elif value > 0:
        kind = "diffusion"
    elif value < -1:
        kind = "displacement_exceeds"
    elif value < 0:
        kind = "displacement"
    else:
        kind = "neither"
    return WdqReading(value, success, buffer, kind)


# --- interrupted time series ---------------------------------------------------------------

ITS_TERMS = ("intercept", "trend", "level_change", "slope_change")


@dataclass(frozen=True, slots=True)
class ItsResult:
    """The fitted segmented Poisson regression (terms in :data:`ITS_TERMS` order)."""

    params: FloatArray
    se: FloatArray
    ci_low: FloatArray
    ci_high: FloatArray
    p: FloatArray
    fitted: FloatArray
    deviance: float
    iterations: int
    start: int

    def rate_ratio(self, term: str) -> tuple[float, float, float]:
        """exp of a term and its 95 % interval (level change: the jump at the start; trend
        and slope change: per week)."""
        i = ITS_TERMS.index(term)
        return (
            float(np.exp(self.params[i])),
            float(np.exp(self.ci_low[i])),
            float(np.exp(self.ci_high[i])),
        )


def its_design(n: int, start: int) -> FloatArray:
    """The design matrix: 1, t, D_t, (t − t₀)·D_t for t = 0 … n−1."""
    t = np.arange(n, dtype=np.float64)
    after = (t >= start).astype(np.float64)
    return np.column_stack([np.ones(n), t, after, (t - start) * after])


def _deviance(y: FloatArray, mu: FloatArray) -> float:
    ratio = np.where(y > 0, y / np.where(mu > 0, mu, 1.0), 1.0)
    return float(2.0 * np.sum(np.where(y > 0, y * np.log(ratio), 0.0) - (y - mu)))


def its(
    counts: npt.ArrayLike, start: int, *, max_iterations: int = 100, tol: float = 1e-12
) -> ItsResult:
    """Fit the interrupted time series to weekly ``counts`` with the action from week
    ``start`` (see the module docstring).

    Needs at least 3 weeks before and 2 after, and some count in each part (a part of only
    zeros drives its coefficient to −∞): otherwise :class:`InsufficientData`.
    """
    y = np.asarray(counts, dtype=np.float64)
    if y.ndim != 1:
        raise ValueError("counts must be 1-d")
    if np.any(y < 0) or np.any(y != np.floor(y)):
        raise ValueError("counts must be whole numbers ≥ 0")
    n = y.size
    if start < 3 or n - start < 2:
        raise InsufficientData("the series needs at least 3 weeks before and 2 after the start")
    if y[:start].sum() == 0 or y[start:].sum() == 0:
        raise InsufficientData("no counts before or no counts after the start")
    x = its_design(n, start)
    mu = (y + y.mean()) / 2.0  # the usual starting point of the Poisson IRLS
    eta = np.log(mu)
    deviance = _deviance(y, mu)
    beta = np.zeros(x.shape[1])
    iterations = 0
    for iterations in range(1, max_iterations + 1):  # noqa: B007 - reported below
        z = eta + (y - mu) / mu
        xw = x * mu[:, None]
        try:
            beta = np.linalg.solve(x.T @ xw, xw.T @ z)
        except np.linalg.LinAlgError as exc:
            raise InsufficientData("the series cannot be fitted (singular design)") from exc
        eta = x @ beta
        mu = np.exp(eta)
        new = _deviance(y, mu)
        if abs(new - deviance) <= tol * (abs(new) + 0.1):
            deviance = new
            break
        deviance = new
    information = x.T @ (x * mu[:, None])
    cov = np.linalg.inv(information)
    se = np.sqrt(np.diag(cov))
    zscores = beta / se
    return ItsResult(
        params=beta,
        se=se,
        ci_low=beta - Z95 * se,
        ci_high=beta + Z95 * se,
        p=2.0 * stats.norm.sf(np.abs(zscores)),
        fitted=mu,
        deviance=deviance,
        iterations=iterations,
        start=int(start),
    )


# --- regression to the mean ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RtmCheck:
    """Whether the action started after a peak, and the two means compared."""

    flag: bool
    recent_mean: float
    baseline_mean: float


def regression_to_mean(before: npt.ArrayLike) -> RtmCheck:
    """The regression-to-the-mean check on the weekly counts before the start (oldest first,
    ending with the week before the start): the mean of the last 4 weeks against 1.5 × the
    mean of the 26 weeks before those. Needs 30 weeks (:class:`InsufficientData`)."""
    series = np.asarray(before, dtype=np.float64)
    need = RTM_RECENT_WEEKS + RTM_BASELINE_WEEKS
    if series.ndim != 1 or series.size < need:
        raise InsufficientData(f"the check needs {need} weeks before the start")
    recent = float(series[-RTM_RECENT_WEEKS:].mean())
    baseline = float(series[-need:-RTM_RECENT_WEEKS].mean())
    return RtmCheck(recent > RTM_FACTOR * baseline, recent, baseline)


def rtm_flag(before: npt.ArrayLike) -> bool:
    """True when the action started after a peak (see :func:`regression_to_mean`)."""
    return regression_to_mean(before).flag
