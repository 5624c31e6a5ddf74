"""Reading h3 cell ids with bit operations (numpy only; no h3 library needed).

An h3 cell id is a 64-bit integer (h3 index specification, Uber H3 "Index bit layout"): bit 63
is 0, bits 59–62 the mode (1 for a cell), bits 52–55 the resolution, bits 45–51 the base cell
(0–121), then fifteen 3-bit digits, digit 1 in bits 42–44 down to digit 15 in bits 0–2; digits
below the cell's resolution are 7. Cells are stored as signed ``int64`` (they fit in 63 bits).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from samtrygg.analysis._types import IntArray

__all__ = ["base_cell", "cell_digit", "cell_parent", "cell_resolution", "is_cell_id"]

_MODE_CELL = 1


def _ids(cells: npt.ArrayLike) -> IntArray:
    return np.asarray(cells, dtype=np.int64)


def is_cell_id(cells: npt.ArrayLike) -> npt.NDArray[np.bool_]:
    """True where the id has the h3 cell mode, a resolution and a base cell in range."""
    h = _ids(cells)
    mode = (h >> 59) & 0xF
    res = (h >> 52) & 0xF
    base = (h >> 45) & 0x7F
    unused = h & ((np.int64(1) << (3 * (15 - res))) - 1)
    expected_unused = (np.int64(1) << (3 * (15 - res))) - 1
    valid: npt.NDArray[np.bool_] = (
        (h > 0) & (mode == _MODE_CELL) & (base < 122) & (unused == expected_unused)
    )
    return valid


def cell_resolution(cells: npt.ArrayLike) -> IntArray:
    """Resolution 0–15 of each cell id."""
    return (_ids(cells) >> 52) & 0xF


def base_cell(cells: npt.ArrayLike) -> IntArray:
    """Base cell number 0–121 of each cell id."""
    return (_ids(cells) >> 45) & 0x7F


def cell_digit(cells: npt.ArrayLike, res: int) -> IntArray:
    """The digit (0–6; 7 when unused) of each cell at resolution ``res`` (1–15)."""
    if not 1 <= res <= 15:
        raise ValueError("digit resolution must be 1–15")
    return (_ids(cells) >> (3 * (15 - res))) & 0x7


def cell_parent(cells: npt.ArrayLike, res: int) -> IntArray:
    """The ancestor of each cell at resolution ``res`` (no coarser than any cell's own)."""
    h = _ids(cells)
    if not 0 <= res <= 15:
        raise ValueError("resolution must be 0–15")
    if h.size and int(cell_resolution(h).min()) < res:
        raise ValueError("parent resolution is finer than a cell's own resolution")
    unused = np.int64((1 << (3 * (15 - res))) - 1)
    cleared = (h | unused) & ~np.int64(0xF << 52)
    return cleared | np.int64(res << 52)
