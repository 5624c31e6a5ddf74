from __future__ import annotations

from dataclasses import fields, is_dataclass
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from samtrygg.analysis import binning, grid
from samtrygg.analysis.change import Verdict
from samtrygg.analysis.emerging import Pattern
from samtrygg.analysis.levels import Level, Trend
from samtrygg.analysis.picture import NoteCode, Period, PictureSettings, compute_picture
from tests.analysis.conftest import FALUN_RES9, PROPERTY

START_2021 = int(binning.period_start(2021, "year"))
END_2024 = int(binning.period_end(2024, "year"))


def assert_same(a: Any, b: Any) -> None:
    """Deep equality of picture results (dataclasses, arrays, tuples, scalars)."""
    if is_dataclass(a):
        for f in fields(a):
            assert_same(getattr(a, f.name), getattr(b, f.name))
    elif isinstance(a, np.ndarray):
        if a.dtype.kind == "f":
            assert np.allclose(a, b, rtol=1e-9, atol=1e-12, equal_nan=True)
        else:
            assert np.array_equal(a, b)
    elif isinstance(a, tuple):
        assert len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            assert_same(x, y)
    elif isinstance(a, float):
        assert np.isclose(a, b, equal_nan=True)
    else:
        assert a == b


@pytest.fixture(scope="module")
def kommun(h3i):  # type: ignore[no-untyped-def]
    """Three areas on a disk of res-9 cells in Falun, four years of reports, a 2024 burst in
    area 1 and police events (no cell)."""
    rng = np.random.default_rng(2024)
    cells = np.asarray(h3i.grid_disk(FALUN_RES9, 12), dtype=np.int64)
    area_of = (np.arange(cells.size) % 3).astype(np.int32)
    n = 4000
    pick = rng.integers(0, cells.size, n)
    times = rng.integers(START_2021, END_2024, n)
    categories = rng.integers(0, 5, n).astype(np.int32)
    burst_cells = np.flatnonzero(area_of == 1)[:1]
    spot = int(cells[burst_cells[0]])
    around = np.asarray(h3i.grid_disk(spot, 1), dtype=np.int64)
    m = 400
    burst_pick = np.flatnonzero(np.isin(cells, around))[rng.integers(0, len(around), m)]
    burst_times = rng.integers(int(binning.period_start(2024, "year")), END_2024, m)
    police = 300
    police_times = rng.integers(START_2021, END_2024, police)
    data = {
        "times": np.concatenate([times, burst_times, police_times]),
        "categories": np.concatenate(
            [categories, np.full(m, 2), rng.integers(0, 5, police)]
        ).astype(np.int32),
        "cells": np.concatenate([cells[pick], cells[burst_pick], np.zeros(police, np.int64)]),
        "areas": np.concatenate([area_of[pick], area_of[burst_pick], rng.integers(0, 3, police)]),
    }
    # the burst spot's own area (the disk's cells are split between areas by position)
    return data, cells, area_of, spot


def test_a_kommun_year(kommun) -> None:  # type: ignore[no-untyped-def]
    data, cells, area_of, spot = kommun
    picture = compute_picture(
        data["times"],
        data["categories"],
        period=Period.year(2024),
        n_categories=5,
        areas=data["areas"],
        cells=data["cells"],
        area_of_cell=(cells, area_of),
        population=np.array([5000, 8000, 3000]),
        data_start=START_2021,
    )
    counts = picture.area_counts
    assert counts.labels == ("2021", "2022", "2023", "2024")
    assert counts.baseline_columns.tolist() == [0, 1, 2]
    assert counts.counts.sum() == data["times"].size
    assert Verdict(int(picture.change.verdict[1])) == Verdict.MORE
    assert picture.change.observed[1] > 1.2 * picture.change.expected[1]
    assert picture.category_counts.sum() == counts.counts[:, -1].sum()

    cell_part = picture.cells
    assert cell_part is not None
    assert 0 not in cell_part.cells  # police events never enter the cell level
    assert cell_part.step_unit == "month" and cell_part.steps.size == 12
    assert cell_part.step_labels[0] == "2024-01" and cell_part.step_labels[-1] == "2024-12"
    at_spot = int(np.flatnonzero(cell_part.cells == spot)[0])
    assert cell_part.hotspot_bins[at_spot] == 3
    assert cell_part.area[at_spot] == 1
    assert cell_part.current_counts.sum() == cell_part.step_counts.sum()
    assert Pattern(int(cell_part.emerging.pattern[at_spot])) in {
        Pattern.PERSISTENT_HOT,
        Pattern.INTENSIFYING_HOT,
        Pattern.CONSECUTIVE_HOT,
    }

    level = Level(int(picture.levels.level[1]))
    assert level >= Level.ORANGE and Trend(int(picture.levels.trend[1])) == Trend.UP
    assert "change_more" in picture.levels.reason_keys[1]
    assert picture.hot_times.observed.sum() == counts.counts[:, -1].sum()
    assert picture.hot_times.flag[:, 2].max() <= 1
    assert picture.rates is not None and picture.rates.rate.shape == (3,)
    assert any(note.code == NoteCode.NO_POINT for note in picture.notes)


def test_same_answer_for_shuffled_records(kommun) -> None:  # type: ignore[no-untyped-def]
    data, cells, area_of, _ = kommun
    perm = np.random.default_rng(1).permutation(data["times"].size)
    args = {"period": Period.tertial(2024, 3), "n_categories": 5, "data_start": START_2021}
    first = compute_picture(**data, **args, area_of_cell=(cells, area_of))
    shuffled = {key: value[perm] for key, value in data.items()}
    second = compute_picture(**shuffled, **args, area_of_cell=(cells, area_of))
    assert_same(first, second)


def test_duplicated_points_double_the_counts_only(kommun) -> None:  # type: ignore[no-untyped-def]
    data, _, _, _ = kommun
    args = {"period": Period.month(2024, 11), "n_categories": 5, "data_start": START_2021}
    once = compute_picture(**data, **args)
    twice = compute_picture(**{k: np.concatenate([v, v]) for k, v in data.items()}, **args)
    weighted = compute_picture(**data, **args, counts=np.full(data["times"].size, 2))
    assert np.array_equal(twice.area_counts.counts, 2 * once.area_counts.counts)
    assert once.cells is not None and twice.cells is not None
    assert np.allclose(twice.cells.hotspots.z, once.cells.hotspots.z)
    assert_same(twice.area_counts, weighted.area_counts)
    assert_same(twice.cells, weighted.cells)


def test_given_grid_and_neighbours(kommun) -> None:  # type: ignore[no-untyped-def]
    data, cells, _, _ = kommun
    args = {"period": Period.week(2024, 47), "n_categories": 5, "data_start": START_2021}
    matrix = grid.neighbors_csr(cells)
    picture = compute_picture(**data, **args, grid_cells=cells, neighbors=matrix)
    assert picture.cells is not None
    assert np.array_equal(picture.cells.cells, cells)  # every cell of the study area, in order
    assert picture.cells.step_unit == "week" and picture.cells.steps.size == 12
    built = compute_picture(**data, **args, grid_cells=cells)
    assert_same(picture.cells, built.cells)
    with pytest.raises(ValueError, match="grid_cells"):
        compute_picture(**data, **args, neighbors=matrix)


def test_week_binning_follows_swedish_time() -> None:
    # Sunday 2024-06-02 23:30 UTC is Monday 01:30 in Sweden: week 23, not week 22
    t = np.array([int(np.datetime64("2024-06-02T23:30:00").astype(np.int64))])
    picture = compute_picture(t, np.array([0]), period=Period.week(2024, 23), n_categories=1)
    assert picture.area_counts.counts[0, -1] == 1
    assert picture.hot_times.observed[1, 0] == 1  # Monday 01


def test_data_start_leaves_out_early_baseline_periods(kommun) -> None:  # type: ignore[no-untyped-def]
    data, _, _, _ = kommun
    late = int(binning.period_start(2022, "year")) + 86_400
    picture = compute_picture(**data, period=Period.year(2024), n_categories=5, data_start=late)
    assert picture.area_counts.baseline_columns.tolist() == [2]  # 2023 only
    assert any(note.code == NoteCode.BASELINE_BEFORE_DATA_START for note in picture.notes)
    # steps of the emerging window that begin before the data are left out as well
    mid_june = int(binning.period_start(binning.period_of("month", 2024, 6), "month")) + 86_400
    monthly = compute_picture(
        **data, period=Period.month(2024, 11), n_categories=5, data_start=mid_june
    )
    assert monthly.cells is not None
    assert monthly.cells.step_labels == ("2024-07", "2024-08", "2024-09", "2024-10", "2024-11")
    assert monthly.hot_times_window[0] == int(binning.period_start(2024 * 12 + 6, "month"))
    assert any(note.code == NoteCode.FEW_STEPS for note in monthly.notes)


def test_empty_and_policeonly_input() -> None:
    empty = compute_picture(
        np.array([], dtype=np.int64), np.array([], dtype=np.int32), period=Period.month(2024, 5),
        n_categories=3, cells=np.array([], dtype=np.int64),
    )  # fmt: skip
    assert empty.cells is None and empty.area_counts.counts.sum() == 0
    assert empty.levels.level.tolist() == [0]
    police = compute_picture(
        np.full(10, START_2021 + 400 * 86_400), np.zeros(10, np.int32),
        period=Period.year(2022), n_categories=1, cells=np.zeros(10, np.int64),
    )  # fmt: skip
    assert police.cells is None
    assert police.change.observed.tolist() == [10]


def test_invalid_input_raises() -> None:
    t = np.array([START_2021])
    with pytest.raises(ValueError):
        compute_picture(t, np.array([3]), period=Period.year(2021), n_categories=3)
    with pytest.raises(TypeError):
        compute_picture(np.array([1.5]), np.array([0]), period=Period.year(2021), n_categories=1)
    with pytest.raises(ValueError):
        compute_picture(t, np.array([0, 0]), period=Period.year(2021), n_categories=1)
    with pytest.raises(ValueError):
        compute_picture(
            t,
            np.array([0]),
            period=Period.year(2021),
            n_categories=1,
            areas=np.array([5]),
            n_areas=2,
        )
    with pytest.raises(ValueError):
        compute_picture(
            t, np.array([0]), period=Period.year(2021), n_categories=1, counts=np.array([-1])
        )
    with pytest.raises(ValueError):
        Period("quarter", 1)  # type: ignore[arg-type]


@PROPERTY
@given(
    st.lists(
        st.tuples(
            st.integers(START_2021, END_2024 - 1),
            st.integers(0, 2),
            st.integers(0, 40),
            st.integers(-1, 2),
        ),
        max_size=80,
    ),
    st.sampled_from(["week", "month", "tertial", "year"]),
    st.integers(0, 2**32 - 1),
)
def test_property_permutation_and_probabilities(
    records: list[tuple[int, int, int, int]], unit: binning.Unit, seed: int
) -> None:
    from h3.api import basic_int as h3i

    disk = np.asarray(h3i.grid_disk(FALUN_RES9, 3), dtype=np.int64)
    times = np.asarray([r[0] for r in records], dtype=np.int64)
    cats = np.asarray([r[1] for r in records], dtype=np.int32)
    position = np.asarray([r[2] for r in records], dtype=np.int64)
    cells = np.where(position < disk.size, disk[np.minimum(position, disk.size - 1)], 0)
    areas = np.asarray([r[3] for r in records], dtype=np.int32)
    period = Period.containing(unit, END_2024 - 1)
    settings = PictureSettings(trend_steps=4)
    args = {"period": period, "n_categories": 3, "n_areas": 3, "settings": settings}
    args["data_start"] = START_2021
    picture = compute_picture(times, cats, areas=areas, cells=cells, **args)
    perm = np.random.default_rng(seed).permutation(times.size)
    again = compute_picture(times[perm], cats[perm], areas=areas[perm], cells=cells[perm], **args)
    assert_same(picture, again)
    for p, q in (
        (picture.change.p, picture.change.q),
        (picture.hot_times.p, picture.hot_times.q),
        *(
            [(picture.cells.hotspots.p, picture.cells.hotspots.q)]
            if picture.cells is not None
            else []
        ),
    ):
        assert np.all((p >= 0) & (p <= 1)) and np.all((q >= 0) & (q <= 1)) and np.all(q >= p)
