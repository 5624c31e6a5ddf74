"""The h3 bridge: k-ring contiguity of a set of cells as a sparse neighbour matrix.

This is the only module of the engine that imports the ``h3`` library. It turns a set of h3 cell
ids into the binary, symmetric, self-loop-free CSR matrix that :func:`hotspots.gi_star` takes:
``A[i, j] = 1`` when cells ``i`` and ``j`` are different and ``h3.grid_distance(i, j) ≤ k``
("k-ring contiguity"; k = 1 are the six edge neighbours of a hexagon, five of a pentagon).

How it is built, per cell, never per point (h3 has no vectorised neighbour call):

1. Each cell gets local IJ coordinates (``h3.cell_to_local_ij``) in a *frame*: one origin per
   base cell, and for the twelve pentagon base cells one origin per sector (the leading non-zero
   digit), so that inside a frame the cells lie on one regular hexagonal lattice without the
   pentagon's cut. Neighbours inside a frame are then found for all cells at once by looking up
   the lattice offsets within hex distance ``k`` in a sorted key array (``np.searchsorted``).
2. Cells that may have a neighbour in another frame are found by their ancestor four
   resolutions up: if any cell within grid distance 2 of the ancestor lies in another frame (or
   is a pentagon), every cell below that ancestor takes the slow path, ``h3.grid_disk``. This
   is a small band along base-cell edges and pentagon seams.

Both paths give exactly the ``h3.grid_disk`` neighbourhood (tested against it on grids across
base-cell edges and around a pentagon). ``method="disk"`` uses ``h3.grid_disk`` for every cell.
"""

from __future__ import annotations

import functools
from typing import Literal

import h3
import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from h3.api import basic_int as h3i
from h3.api import memview_int as h3m

from samtrygg.analysis._types import BoolArray, IntArray
from samtrygg.analysis.cellbits import base_cell, cell_digit, cell_parent, cell_resolution

__all__ = ["cells_from_latlng", "neighbors_csr", "neighbors_dict"]

_MAX_K = 3
_ANCESTOR_STEP = 4
_COORD_BITS = 24
_COORD_SHIFT = 1 << (_COORD_BITS - 1)


@functools.cache
def _pentagon_base_cells() -> frozenset[int]:
    return frozenset(
        h3i.get_base_cell_number(c) for c in h3i.get_res0_cells() if h3i.is_pentagon(c)
    )


def _ring_offsets(k: int) -> list[tuple[int, int]]:
    """Local IJ offsets within hex distance ``k`` (h3's IJ axes: (1, 1) is a neighbour)."""
    out = []
    for di in range(-k, k + 1):
        for dj in range(-k, k + 1):
            dist = max(abs(di), abs(dj)) if di * dj >= 0 else abs(di) + abs(dj)
            if 0 < dist <= k:
                out.append((di, dj))
    return out


def _frames(cells: IntArray, res: int) -> IntArray:
    """Frame id per cell: base cell · 8 + leading non-zero digit (pentagon base cells only).

    −1 marks a cell that is the pentagon itself (all digits zero), which has no single frame.
    """
    base = base_cell(cells)
    pentagon = np.isin(base, np.fromiter(_pentagon_base_cells(), dtype=np.int64))
    lead = np.zeros(cells.shape, dtype=np.int64)
    for r in range(1, res + 1):
        digit = cell_digit(cells, r)
        np.copyto(lead, digit, where=(lead == 0) & (digit != 0))
    frame = base * 8 + np.where(pentagon, lead, 0)
    frame[pentagon & (lead == 0)] = -1
    return frame


# h3's compiled ``cell_to_local_ij`` without the argument-conversion wrapper of ``h3.api``
# (about half the cost per call); the public function is the fallback.
_cell_to_local_ij = getattr(getattr(h3, "_cy", None), "cell_to_local_ij", h3i.cell_to_local_ij)


def _local_ij(origin: int, cells: list[int]) -> tuple[list[int], list[int], list[bool]]:
    to_ij = _cell_to_local_ij
    try:
        pairs = [to_ij(origin, c) for c in cells]
        return [p[0] for p in pairs], [p[1] for p in pairs], [True] * len(cells)
    except h3.H3BaseException:
        ii, jj, ok = [], [], []
        for c in cells:
            try:
                i, j = to_ij(origin, c)
            except h3.H3BaseException:
                i, j, good = 0, 0, False
            else:
                good = True
            ii.append(i)
            jj.append(j)
            ok.append(good)
        return ii, jj, ok


def _disks(cells: list[int], k: int) -> tuple[IntArray, IntArray]:
    """Concatenated ``h3.grid_disk`` of each cell and the length of each disk."""
    disks = [h3m.grid_disk(c, k) for c in cells]
    lengths = np.fromiter(map(len, disks), dtype=np.int64, count=len(disks))
    flat = np.frombuffer(b"".join(disks), dtype=np.uint64).astype(np.int64)
    return flat, lengths


def _interior_ancestors(ancestors: IntArray, ancestor_res: int) -> BoolArray:
    """True for ancestors whose whole grid disk of radius 2 lies in their own frame."""
    own = _frames(ancestors, ancestor_res)
    flat, lengths = _disks(ancestors.tolist(), 2)
    same = _frames(flat, ancestor_res) == np.repeat(own, lengths)
    bad_per_ancestor = np.add.reduceat(~same, np.r_[0, np.cumsum(lengths)[:-1]])
    return (bad_per_ancestor == 0) & (own >= 0) & (lengths == 19)


def _disk_pairs(
    cells: IntArray, subset: IntArray, sorted_cells: IntArray, order: IntArray, k: int
) -> tuple[IntArray, IntArray]:
    """(row, col) pairs of the cells in ``subset`` (positions) from ``h3.grid_disk``."""
    flat, lengths = _disks(cells[subset].tolist(), k)
    rows = np.repeat(subset, lengths)
    pos = np.minimum(np.searchsorted(sorted_cells, flat), sorted_cells.size - 1)
    found = sorted_cells[pos] == flat
    cols = order[pos[found]]
    rows = rows[found]
    keep = rows != cols
    return rows[keep], cols[keep]


def neighbors_csr(
    cells: npt.ArrayLike, k: int = 1, *, method: Literal["auto", "disk"] = "auto"
) -> sp.csr_array:
    """Binary k-ring contiguity matrix of ``cells`` (unique h3 ids of one resolution).

    Row and column ``i`` belong to ``cells[i]``. The matrix is symmetric, has no diagonal, and
    its data are ``1.0`` (float64, ready for a matrix–vector product). ``1 ≤ k ≤ 3``.
    """
    ids = np.asarray(cells, dtype=np.int64).ravel()
    n = ids.size
    if not 1 <= k <= _MAX_K:
        raise ValueError(f"k must be between 1 and {_MAX_K}")
    if n == 0:
        return sp.csr_array((0, 0), dtype=np.float64)
    res_all = cell_resolution(ids)
    res = int(res_all[0])
    if np.any(res_all != res):
        raise ValueError("all cells must have the same h3 resolution")
    order = np.argsort(ids, kind="stable")
    sorted_ids = ids[order]
    if np.any(sorted_ids[1:] == sorted_ids[:-1]):
        raise ValueError("cells must be unique")
    if method not in ("auto", "disk"):
        raise ValueError("method must be 'auto' or 'disk'")

    if method == "disk" or res <= _ANCESTOR_STEP or n < 32:
        rows, cols = _disk_pairs(ids, np.arange(n, dtype=np.int64), sorted_ids, order, k)
        return _assemble(rows, cols, n)

    # 1. frames and local IJ coordinates
    frame = _frames(ids, res)
    slow = frame < 0
    coord_i = np.zeros(n, dtype=np.int64)
    coord_j = np.zeros(n, dtype=np.int64)
    by_frame = np.argsort(frame, kind="stable")
    frame_sorted = frame[by_frame]
    bounds = np.flatnonzero(np.diff(frame_sorted)) + 1
    for members in np.split(by_frame, bounds):
        if frame[members[0]] < 0:
            continue
        member_ids = ids[members].tolist()
        ii, jj, ok = _local_ij(member_ids[0], member_ids)
        coord_i[members] = ii
        coord_j[members] = jj
        slow[members[~np.asarray(ok, dtype=np.bool_)]] = True

    # 2. cells below an ancestor near another frame take the slow path
    ancestor_res = res - _ANCESTOR_STEP
    ancestors, ancestor_of = np.unique(cell_parent(ids, ancestor_res), return_inverse=True)
    slow |= ~_interior_ancestors(ancestors, ancestor_res)[ancestor_of]

    # 3. lattice look-ups inside each frame (fast cells only)
    fast = np.flatnonzero(~slow)
    key_base = np.maximum(frame, 0) << (2 * _COORD_BITS)
    keys = key_base + ((coord_i + _COORD_SHIFT) << _COORD_BITS) + (coord_j + _COORD_SHIFT)
    fast_keys = keys[fast]
    key_order = np.argsort(fast_keys)
    sorted_keys = fast_keys[key_order]
    sorted_fast = fast[key_order]
    row_parts: list[IntArray] = []
    col_parts: list[IntArray] = []
    if fast.size:
        for di, dj in _ring_offsets(k):
            query = sorted_keys + ((di << _COORD_BITS) + dj)  # sorted, so the search is cheap
            pos = np.minimum(np.searchsorted(sorted_keys, query), sorted_keys.size - 1)
            hit = sorted_keys[pos] == query
            row_parts.append(sorted_fast[hit])
            col_parts.append(sorted_fast[pos[hit]])

    # 4. slow cells: h3.grid_disk, and the reverse pair for fast neighbours
    slow_pos = np.flatnonzero(slow)
    if slow_pos.size:
        rows_s, cols_s = _disk_pairs(ids, slow_pos, sorted_ids, order, k)
        row_parts.append(rows_s)
        col_parts.append(cols_s)
        reverse = ~slow[cols_s]
        row_parts.append(cols_s[reverse])
        col_parts.append(rows_s[reverse])
    if not row_parts:
        return sp.csr_array((n, n), dtype=np.float64)
    return _assemble(np.concatenate(row_parts), np.concatenate(col_parts), n)


def _assemble(rows: IntArray, cols: IntArray, n: int) -> sp.csr_array:
    data = np.ones(rows.size, dtype=np.float64)
    matrix = sp.coo_array((data, (rows, cols)), shape=(n, n)).tocsr()
    matrix.sort_indices()
    return matrix


def neighbors_dict(matrix: sp.csr_array | sp.csr_matrix) -> dict[int, list[int]]:
    """``{row: [neighbour rows]}`` of a CSR matrix (the form ``libpysal.weights.W`` takes)."""
    indptr = matrix.indptr
    indices = matrix.indices.tolist()
    return {i: indices[indptr[i] : indptr[i + 1]] for i in range(matrix.shape[0])}


def cells_from_latlng(lat: npt.ArrayLike, lng: npt.ArrayLike, res: int) -> IntArray:
    """h3 cell ids (``int64``) of points; a loop over points, for loading and benchmarks only.

    The apps assign a cell once, when a point is written; the analysis never calls this.
    """
    la = np.asarray(lat, dtype=np.float64).ravel()
    lo = np.asarray(lng, dtype=np.float64).ravel()
    if la.shape != lo.shape:
        raise ValueError("lat and lng must have the same length")
    to_cell = h3i.latlng_to_cell
    return np.fromiter(
        (to_cell(a, b, res) for a, b in zip(la.tolist(), lo.tolist(), strict=True)),
        dtype=np.int64,
        count=la.size,
    )
