"""Hot times from reports that gave a time band, not a time: the band's weight is spread
evenly over its hours, never put on its midpoint (no "lördag kl. 19" peak nobody saw)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np

from samtrygg.analysis.binning import local_seconds
from samtrygg.analysis.hottimes import spread_over_hours
from samtrygg.analysis.picture import Period, compute_picture

STOCKHOLM = ZoneInfo("Europe/Stockholm")
SATURDAY = 5 * 24


def _utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> int:
    return int(dt.datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM).timestamp())


def test_a_band_is_spread_evenly_over_its_hours() -> None:
    # kväll 17–22 on Saturday 2025-11-22: stored at its midpoint, 19.30
    middle = _utc(2025, 11, 22, 19, 30)
    hours, weights, record = spread_over_hours(
        local_seconds(np.asarray([middle, _utc(2025, 11, 22, 2, 10)])),
        np.asarray([5 * 3600, 0]),
    )
    assert sorted(hours[record == 0].tolist()) == [SATURDAY + h for h in range(17, 22)]
    assert np.allclose(weights[record == 0], 0.2)
    assert hours[record == 1].tolist() == [SATURDAY + 2] and weights[record == 1].tolist() == [1]


def test_a_night_band_crosses_midnight() -> None:
    # natt 22–06 from Friday 2025-11-21: midpoint Saturday 02.00
    hours, weights, _record = spread_over_hours(
        local_seconds(np.asarray([_utc(2025, 11, 22, 2)])), np.asarray([8 * 3600])
    )
    friday = 4 * 24
    assert hours.tolist() == [friday + 22, friday + 23, *[SATURDAY + h for h in range(6)]]
    assert np.isclose(weights.sum(), 1.0)


def test_the_picture_spreads_bands_and_counts_them() -> None:
    # 50 reports of "kväll 17–22" on Saturdays of November 2025, and 5 at an exact 02.00
    saturdays = [1, 8, 15, 22, 29]
    times = [_utc(2025, 11, d, 19, 30) for d in saturdays for _ in range(10)]
    times += [_utc(2025, 11, d, 2, 15) for d in saturdays]
    bands = [5 * 3600] * 50 + [0] * 5
    picture = compute_picture(
        np.asarray(times),
        np.zeros(len(times), dtype=np.int32),
        period=Period.month(2025, 11),
        n_categories=1,
        bands=np.asarray(bands),
        data_start=_utc(2024, 1, 1, 0),
    )
    total = picture.hot_times.total_observed
    assert [int(total[SATURDAY + h]) for h in range(17, 22)] == [10] * 5  # not 50 at 19
    assert int(total[SATURDAY + 2]) == 5
    assert int(total.sum()) == 55
    assert picture.hot_times_band_only == 50
