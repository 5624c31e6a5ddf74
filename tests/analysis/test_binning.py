from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from samtrygg.analysis import binning
from tests.analysis.conftest import PROPERTY

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# 1970-01-01 … 2099-12-31 in UTC epoch seconds
instants = st.integers(min_value=0, max_value=4_102_444_799)


def local(t: int) -> datetime:
    return datetime.fromtimestamp(t, tz=STOCKHOLM)


def utc(*args: int) -> int:
    return int(datetime(*args, tzinfo=UTC).timestamp())


def test_offset_table_from_rule_equals_tz_database() -> None:
    from_db = binning._table_from_zoneinfo(1970, 2100)
    from_rule = binning._table_from_rule(1970, 2100)
    assert np.array_equal(from_db[0], from_rule[0])
    assert np.array_equal(from_db[1], from_rule[1])


def test_dst_edges_2024() -> None:
    # summer time began 2024-03-31 01:00 UTC and ended 2024-10-27 01:00 UTC
    spring, autumn = utc(2024, 3, 31, 1), utc(2024, 10, 27, 1)
    offsets = binning.utc_offset([spring - 1, spring, autumn - 1, autumn])
    assert offsets.tolist() == [3600, 7200, 7200, 3600]
    # Sunday 23:30 UTC in summer is Monday 01:30 in Sweden
    monday = binning.hour_of_week([utc(2024, 6, 2, 23, 30)])
    assert monday.tolist() == [1]


def test_many_instants_around_a_transition() -> None:
    # more than 1024 instants take the path that searches only the transitions in range
    spring = utc(2024, 3, 31, 1)
    t = np.arange(spring - 3000, spring + 3000, dtype=np.int64)
    assert np.array_equal(binning.utc_offset(t), np.where(t < spring, 3600, 7200))


def test_spring_and_autumn_weeks_have_167_and_169_hours() -> None:
    spring_week = binning.period_of("week", 2024, 13)  # contains 31 March
    autumn_week = binning.period_of("week", 2024, 43)  # contains 27 October
    for index, hours, missing_or_double in ((spring_week, 167, 0), (autumn_week, 169, 2)):
        start = int(binning.period_start(index, "week"))
        end = int(binning.period_end(index, "week"))
        assert (end - start) // 3600 == hours
        exposure = binning.hour_of_week_exposure(start, end)
        sunday_02 = 6 * 24 + 2
        assert exposure[sunday_02] == missing_or_double
        assert exposure.sum() == hours


@PROPERTY
@given(st.lists(instants, min_size=1, max_size=30))
def test_binning_matches_the_calendar(times: list[int]) -> None:
    t = np.asarray(times, dtype=np.int64)
    expected_local = [int(local(x).replace(tzinfo=UTC).timestamp()) for x in times]
    assert binning.local_seconds(t).tolist() == expected_local
    how = [local(x).weekday() * 24 + local(x).hour for x in times]
    assert binning.hour_of_week(t).tolist() == how
    year, week = binning.iso_week(t)
    iso = [local(x).isocalendar() for x in times]
    assert year.tolist() == [i[0] for i in iso]
    assert week.tolist() == [i[1] for i in iso]
    month = binning.period_index(t, "month")
    assert month.tolist() == [local(x).year * 12 + local(x).month - 1 for x in times]
    tertial = binning.period_index(t, "tertial")
    assert tertial.tolist() == [local(x).year * 3 + (local(x).month - 1) // 4 for x in times]
    assert binning.period_index(t, "year").tolist() == [local(x).year for x in times]


@PROPERTY
@given(st.lists(instants, min_size=1, max_size=30), st.sampled_from(binning.UNITS))
def test_periods_contain_their_instants(times: list[int], unit: binning.Unit) -> None:
    t = np.asarray(times, dtype=np.int64)
    index = binning.period_index(t, unit)
    start = binning.period_start(index, unit)
    end = binning.period_end(index, unit)
    assert np.all((start <= t) & (t < end))
    # period boundaries are local midnights
    for s in start.tolist():
        assert local(s).hour == 0 and local(s).minute == 0
    assert np.array_equal(binning.period_index(t, unit), binning.period_index(t, unit))


def test_datetime64_input_is_utc() -> None:
    t = np.array(["2024-11-18T10:00:00"], dtype="datetime64[s]")
    assert binning.hour_of_week(t).tolist() == [11]
    ms = t.astype("datetime64[ms]")
    assert binning.local_seconds(ms).tolist() == binning.local_seconds(t).tolist()
    with pytest.raises(TypeError):
        binning.as_epoch_seconds(np.array([1.5]))


def test_labels_and_same_period_last_year() -> None:
    w53 = binning.period_of("week", 2020, 53)
    assert binning.period_label(w53, "week") == "2020-W53"
    assert binning.period_label_sv(w53, "week") == "vecka 53 2020"
    # 2019 has no week 53: week 52 is used
    assert binning.period_label(binning.same_period_last_year(w53, "week"), "week") == "2019-W52"
    w47 = binning.period_of("week", 2024, 47)
    assert binning.period_label(binning.same_period_last_year(w47, "week"), "week") == "2023-W47"
    month = binning.period_of("month", 2024, 11)
    assert binning.period_label(month, "month") == "2024-11"
    assert binning.period_label_sv(month, "month") == "november 2024"
    tertial = binning.period_of("tertial", 2024, 3)
    assert binning.period_label(tertial, "tertial") == "2024-T3"
    assert binning.period_label_sv(tertial, "tertial") == "tertial 3 2024"
    assert binning.same_period_last_year(tertial, "tertial") == binning.period_of(
        "tertial", 2023, 3
    )
    assert binning.same_period_last_year(2024, "year") == 2023
    with pytest.raises(ValueError):
        binning.period_of("week", 2019, 53)
    with pytest.raises(ValueError):
        binning.period_index([0], "quarter")  # type: ignore[arg-type]


def test_week_start_is_monday_midnight_in_sweden() -> None:
    start = int(binning.period_start(binning.period_of("week", 2024, 47), "week"))
    assert local(start) == datetime(2024, 11, 18, tzinfo=STOCKHOLM)


def test_areas_of_cells() -> None:
    table_cells = np.array([50, 10, 30], dtype=np.int64)
    table_areas = np.array([2, 0, 1], dtype=np.int32)
    got = binning.areas_of_cells([10, 20, 30, 50, 60, 10], table_cells, table_areas)
    assert got.tolist() == [0, -1, 1, 2, -1, 0]
    assert binning.areas_of_cells([], table_cells, table_areas).shape == (0,)
    with pytest.raises(ValueError):
        binning.areas_of_cells([1], [5, 5], [0, 1])
