"""The h3 bridge: k-ring contiguity of a set of cells as a sparse neighbour matrix.

This is the only module of the engine that imports the ``h3`` library. It turns a set of h3 cell
ids into the binary, symmetric, self-loop-free CSR matrix that :func:`hotspots.gi_star` takes:
``A[i, j] = 1`` when cells ``i`` and ``j`` are different and ``h3.grid_distance(i, j) ≤ k``
("k-ring contiguity"; k = 1 are the six edge neighbours of a hexagon, five of a pentagon).

How it is built, per cell, never per point (h3 has no vectorised neighbour call):

1. Each cell gets lattice coordinates computed from its digits with integer arithmetic (no h3
   call) in a *frame*: its base cell, and for the twelve pentagon base cells its sector (the
   leading non-zero digit), so that inside a frame the cells lie on one regular hexagonal
   lattice without the pentagon's cut. Neighbours inside a frame are then found for all cells
   at once by looking up the lattice offsets within hex distance ``k`` in a sorted key array
   (``np.searchsorted``).
2. Cells that may have a neighbour in another frame are found by their ancestors: a cell is
   safe when its ancestor four resolutions up, or failing that three up, has its whole grid
   disk of radius 2 in the cell's frame (h3 cells nest only approximately, but the ancestors of
   two cells within distance 3 are at most one apart, so radius 2 leaves a margin). The others
   take the slow path, ``h3.grid_disk``: a narrow band along base-cell edges and pentagon seams,
   less the cells that found all their ``3k(k + 1)`` neighbours in their own frame.

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
_ANCESTOR_STEPS = (4, 3)
_COORD_BITS = 24
_COORD_SHIFT = 1 << (_COORD_BITS - 1)


@functools.cache
def _pentagon_base_cells() -> IntArray:
    numbers = [h3i.get_base_cell_number(c) for c in h3i.get_res0_cells() if h3i.is_pentagon(c)]
    return np.asarray(sorted(numbers), dtype=np.int64)


@functools.cache
def _ring_offsets(k: int) -> tuple[tuple[int, int], ...]:
    """Local IJ offsets within hex distance ``k`` (h3's IJ axes: (1, 1) is a neighbour)."""
    out = []
    for di in range(-k, k + 1):
        for dj in range(-k, k + 1):
            dist = max(abs(di), abs(dj)) if di * dj >= 0 else abs(di) + abs(dj)
            if 0 < dist <= k:
                out.append((di, dj))
    return tuple(out)


def _frames(cells: IntArray, res: int) -> IntArray:
    """Frame id per cell: base cell · 8 + leading non-zero digit (pentagon base cells only).

    −1 marks a cell that is the pentagon itself (all digits zero), which has no single frame.
    """
    base = base_cell(cells)
    pentagon = np.isin(base, _pentagon_base_cells())
    lead = np.zeros(cells.shape, dtype=np.int64)
    for r in range(1, res + 1):
        digit = cell_digit(cells, r)
        np.copyto(lead, digit, where=(lead == 0) & (digit != 0))
    frame = base * 8 + np.where(pentagon, lead, 0)
    frame[pentagon & (lead == 0)] = -1
    return frame


# IJ offsets (axial coordinates, with K folded into I and J) of the digits 0–6: centre, K, J,
# JK, I, IK, IJ (h3's unit vectors).
_DIGIT_I = np.array([0, -1, 0, -1, 1, 0, 1], dtype=np.int64)
_DIGIT_J = np.array([0, -1, 1, 0, 0, -1, 1], dtype=np.int64)


def _lattice_ij(cells: IntArray, res: int) -> tuple[IntArray, IntArray]:
    """IJ coordinates of cells on their base cell's lattice, from the digits alone.

    Going one resolution down, h3's aperture-7 grid is the parent lattice scaled by √7 and
    turned one way at odd (class III) and the other way at even (class II) resolutions; a
    parent vector (i, j) becomes (2i + j, 3j − i) or (3i − j, i + 2j), and the digit adds its
    unit vector. Inside one base cell (one sector of a pentagon's) this is a regular lattice
    on which neighbours differ by one of the six unit offsets, the coordinates that
    ``h3.cell_to_local_ij`` returns up to a shift.
    """
    i = np.zeros(cells.shape, dtype=np.int64)
    j = np.zeros(cells.shape, dtype=np.int64)
    for r in range(1, res + 1):
        if r % 2 == 1:
            i, j = 2 * i + j, 3 * j - i
        else:
            i, j = 3 * i - j, i + 2 * j
        digit = cell_digit(cells, r)
        i += _DIGIT_I[digit]
        j += _DIGIT_J[digit]
    return i, j


# h3's compiled grid_disk without the argument conversion of ``h3.api`` (a third of the cost
# per call); the public function is the fallback.
_grid_disk = getattr(getattr(h3, "_cy", None), "grid_disk", h3m.grid_disk)


def _disks(cells: list[int], k: int) -> tuple[IntArray, IntArray]:
    """Concatenated ``h3.grid_disk`` of each cell and the length of each disk."""
    disk = _grid_disk
    disks = [disk(c, k) for c in cells]
    lengths = np.fromiter(map(len, disks), dtype=np.int64, count=len(disks))
    flat = np.frombuffer(b"".join(disks), dtype=np.uint64).astype(np.int64)
    return flat, lengths


def _interior_ancestors(ancestors: IntArray, ancestor_res: int) -> BoolArray:
    """True for ancestors whose whole grid disk of radius 2 lies in their own frame."""
    own = _frames(ancestors, ancestor_res)
    flat, lengths = _disks(ancestors.tolist(), 2)
    same = _frames(flat, ancestor_res) == np.repeat(own, lengths)
    bad_per_ancestor = np.add.reduceat((~same).astype(np.int64), np.r_[0, np.cumsum(lengths)[:-1]])
    interior: BoolArray = (bad_per_ancestor == 0) & (own >= 0) & (lengths == 19)
    return interior


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

    if method == "disk" or res < max(_ANCESTOR_STEPS) or n < 32:
        rows, cols = _disk_pairs(ids, np.arange(n, dtype=np.int64), sorted_ids, order, k)
        return _assemble(rows, cols, n)

    # 1. frames and lattice coordinates
    frame = _frames(ids, res)
    slow = frame < 0
    coord_i, coord_j = _lattice_ij(ids, res)

    # 2. cells below an ancestor near another frame take the slow path: first with coarse
    #    ancestors (few calls), then, inside the coarse band, with finer ones (a narrower band)
    near_edge = ~slow
    for step in _ANCESTOR_STEPS:
        if res - step < 0 or not near_edge.any():
            continue
        members = np.flatnonzero(near_edge)
        ancestors, ancestor_of = np.unique(
            cell_parent(ids[members], res - step), return_inverse=True
        )
        near_edge[members[_interior_ancestors(ancestors, res - step)[ancestor_of]]] = False

    # 3. lattice look-ups inside each frame; a cell near an edge that finds its full ring
    #    (3k(k+1) cells) in its own frame needs nothing more
    framed = np.flatnonzero(~slow | near_edge)
    key_base = np.maximum(frame, 0) << (2 * _COORD_BITS)
    keys = key_base + ((coord_i + _COORD_SHIFT) << _COORD_BITS) + (coord_j + _COORD_SHIFT)
    framed = framed[frame[framed] >= 0]
    framed_keys = keys[framed]
    key_order = np.argsort(framed_keys)
    sorted_keys = framed_keys[key_order]
    sorted_cells = framed[key_order]
    offsets = _ring_offsets(k)
    # table[i, o]: the neighbour of cell i at lattice offset o, or n (none; sorts last)
    index_type = np.int32 if n < np.iinfo(np.int32).max else np.int64
    table = np.full((n, len(offsets)), n, dtype=index_type)
    if framed.size:
        for column, (di, dj) in enumerate(offsets):
            query = sorted_keys + ((di << _COORD_BITS) + dj)  # sorted, so the search is cheap
            pos = np.minimum(np.searchsorted(sorted_keys, query), sorted_keys.size - 1)
            hit = sorted_keys[pos] == query
            table[sorted_cells[hit], column] = sorted_cells[pos[hit]]
    found = (table < n).sum(axis=1)
    slow = (slow & ~near_edge) | (near_edge & (found < len(offsets)))
    slow_pos = np.flatnonzero(slow)
    if slow_pos.size:  # slow cells get all their pairs from step 4
        table[slow_pos] = n
        table[np.append(slow, False)[table]] = n
    table.sort(axis=1)
    valid = table < n
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(valid.sum(axis=1), out=indptr[1:])
    indices = table[valid].astype(np.int64)
    matrix = sp.csr_array((np.ones(indices.size), indices, indptr), shape=(n, n))

    # 4. slow cells: h3.grid_disk, and the reverse pair for their other neighbours
    if slow_pos.size:
        rows_s, cols_s = _disk_pairs(ids, slow_pos, sorted_ids, order, k)
        reverse = ~slow[cols_s]
        rows = np.concatenate([rows_s, cols_s[reverse]])
        cols = np.concatenate([cols_s, rows_s[reverse]])
        matrix = (matrix + _assemble(rows, cols, n)).tocsr()  # disjoint: every value stays 1
    return matrix


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
