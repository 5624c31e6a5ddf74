from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from samtrygg.analysis import cellbits, grid
from tests.analysis.conftest import FALUN_RES9, PROPERTY


def assert_same_as_grid_disk(cells: np.ndarray, k: int = 1) -> None:
    fast = grid.neighbors_csr(cells, k)
    reference = grid.neighbors_csr(cells, k, method="disk")
    assert fast.shape == reference.shape == (cells.size, cells.size)
    assert (fast != reference).nnz == 0
    assert (fast != fast.T).nnz == 0
    assert np.all(fast.diagonal() == 0)
    assert np.all(fast.data == 1.0)


def test_full_disk_in_dalarna(h3i) -> None:  # type: ignore[no-untyped-def]
    cells = np.asarray(h3i.grid_disk(FALUN_RES9, 40), dtype=np.int64)
    matrix = grid.neighbors_csr(cells)
    degrees = np.diff(matrix.indptr)
    # interior cells of a full disk have six neighbours, the rim fewer
    assert degrees.max() == 6 and (degrees == 6).sum() == len(h3i.grid_disk(FALUN_RES9, 39))
    assert_same_as_grid_disk(cells)


@pytest.mark.parametrize("k", [1, 2, 3])
def test_around_the_scandinavian_pentagon(h3i, k: int) -> None:  # type: ignore[no-untyped-def]
    # base cell 4 is a pentagon centred off the Norwegian coast; its sectors meet there
    pentagon = next(
        c for c in h3i.get_res0_cells() if h3i.is_pentagon(c) and h3i.get_base_cell_number(c) == 4
    )
    centre = h3i.latlng_to_cell(*h3i.cell_to_latlng(pentagon), 7)
    assert_same_as_grid_disk(np.asarray(h3i.grid_disk(centre, 30), dtype=np.int64), k)


def test_scattered_over_sweden_across_base_cells(h3i) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(7)
    lat = 55.3 + rng.random(30_000) * 13.5
    lng = 11.2 + rng.random(30_000) * 12.5
    cells = np.unique(grid.cells_from_latlng(lat, lng, 7))
    # two base cells (4, a pentagon, and 15) and several sectors of the pentagon
    assert len(np.unique(cellbits.base_cell(cells))) >= 2
    assert len(np.unique(grid._frames(cells, 7))) >= 4
    assert_same_as_grid_disk(cells)
    # clustered, so most cells have neighbours
    centre_lat = 55.3 + rng.random(40) * 13.5
    centre_lng = 11.2 + rng.random(40) * 12.5
    pick = rng.integers(0, 40, 20_000)
    clustered = grid.cells_from_latlng(
        centre_lat[pick] + rng.normal(0, 0.03, 20_000),
        centre_lng[pick] + rng.normal(0, 0.06, 20_000),
        9,
    )
    assert_same_as_grid_disk(np.unique(clustered))


def _disk_near(lat: float, lng: float, res: int, radius: int) -> np.ndarray:
    from h3.api import basic_int as h3i

    return np.asarray(h3i.grid_disk(h3i.latlng_to_cell(lat, lng, res), radius), dtype=np.int64)


PLACES = {
    "Falun": (60.607, 15.631, 9, 26),
    "base cells 4 and 15 near Värnamo": (57.55, 14.0, 9, 26),
    "the pentagon off the Norwegian coast": (64.7, 10.54, 7, 20),
}


@PROPERTY
@given(
    st.sampled_from(sorted(PLACES)),
    st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=150, unique=True),
    st.integers(min_value=1, max_value=3),
)
def test_subsets_match_grid_disk(place: str, positions: list[int], k: int) -> None:
    disk = _disk_near(*PLACES[place])  # at least 1 051 cells (fewer round the pentagon)
    assert_same_as_grid_disk(disk[np.asarray(positions)], k)


def test_empty_single_and_errors(h3i) -> None:  # type: ignore[no-untyped-def]
    assert grid.neighbors_csr(np.array([], dtype=np.int64)).shape == (0, 0)
    single = grid.neighbors_csr([FALUN_RES9])
    assert single.shape == (1, 1) and single.nnz == 0
    with pytest.raises(ValueError, match="unique"):
        grid.neighbors_csr([FALUN_RES9, FALUN_RES9])
    with pytest.raises(ValueError, match="resolution"):
        grid.neighbors_csr([FALUN_RES9, h3i.cell_to_parent(FALUN_RES9, 8)])
    with pytest.raises(ValueError):
        grid.neighbors_csr([FALUN_RES9], k=4)


def test_neighbors_dict_round_trip(h3i) -> None:  # type: ignore[no-untyped-def]
    cells = np.asarray(h3i.grid_disk(FALUN_RES9, 2), dtype=np.int64)
    matrix = grid.neighbors_csr(cells)
    as_dict = grid.neighbors_dict(matrix)
    assert sorted(as_dict) == list(range(cells.size))
    for i, js in as_dict.items():
        expected = (set(h3i.grid_disk(int(cells[i]), 1)) & set(cells.tolist())) - {int(cells[i])}
        assert {int(cells[j]) for j in js} == expected


def test_cellbits_agree_with_h3(h3i) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(1)
    cells = grid.cells_from_latlng(55 + rng.random(500) * 14, 11 + rng.random(500) * 13, 9)
    assert cellbits.is_cell_id(cells).all()
    assert not cellbits.is_cell_id([0, 1, -5]).any()
    assert (cellbits.cell_resolution(cells) == 9).all()
    assert cellbits.base_cell(cells).tolist() == [h3i.get_base_cell_number(int(c)) for c in cells]
    for res in (0, 5, 8, 9):
        parents = cellbits.cell_parent(cells, res)
        assert parents.tolist() == [h3i.cell_to_parent(int(c), res) for c in cells]
    with pytest.raises(ValueError):
        cellbits.cell_parent(cells, 10)
    digits = cellbits.cell_digit(cells, 3)
    assert digits.tolist() == [h3i.get_index_digit(int(c), 3) for c in cells]
