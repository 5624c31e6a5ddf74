"""Hot spots: the Getis–Ord Gi* statistic with binary weights on a cell grid.

For cell ``i`` with value ``x_i`` (a count), ``n`` cells, and the binary contiguity matrix ``A``
(``A_ij = 1`` for neighbours, no self-loops), the star statistic adds the cell itself:
``w_ij = A_ij + [i = j]``. With ``c_i = Σ_j w_ij`` (neighbours + 1), the local sum
``S_i = Σ_j w_ij x_j``, the mean ``x̄ = Σ x / n`` and the standard deviation
``s = sqrt(Σ (x − x̄)² / n)``, the standardised Gi* (Ord & Getis 1995, eq. 14.3; Getis & Ord
1992) is

    z_i = (S_i − c_i · x̄) / ( s · sqrt( c_i · (n − c_i) / (n − 1) ) )

(for binary weights ``Σ_j w_ij² = Σ_j w_ij = c_i``). ``z`` is compared with the standard normal:
``p = 2 · Φ(−|z|)`` (two-sided), and ``q`` is the Benjamini–Hochberg adjustment of all ``p`` of
the call (:mod:`samtrygg.analysis.fdr`), as Caldas de Castro & Singer (2006) recommend for local
statistics. A positive significant ``z`` is a hot spot (the cell *and its neighbours* hold more
than the area-wide mean), a negative one a cold spot.

This is the same statistic as PySAL esda ``G_Local(y, w, star=True, transform="B")`` ``Zs``, and
agrees with it to 1e-9 wherever esda gives a finite value. Where esda does not, this module
defines:

* a cell without neighbours (an island) uses itself alone (``c_i = 1``);
* all values equal (``s = 0``), fewer than two cells, or a cell whose neighbourhood is the whole
  grid (``c_i = n``, nothing to compare with) give ``z = 0`` and ``p = q = 1``;
* a NaN, infinite or negative value raises ``ValueError``.

References: A. Getis & J. K. Ord (1992), "The analysis of spatial association by use of distance
statistics", Geographical Analysis 24(3):189–206. J. K. Ord & A. Getis (1995), "Local spatial
autocorrelation statistics: distributional issues and an application", Geographical Analysis
27(4):286–306. M. Caldas de Castro & B. H. Singer (2006), "Controlling the false discovery rate:
a new application to account for multiple and dependent tests in local statistics of spatial
association", Geographical Analysis 38(2):180–208.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy import special

from samtrygg.analysis._types import FloatArray, Int8Array, IntArray
from samtrygg.analysis.fdr import bh_qvalues, bh_qvalues_of_groups

__all__ = ["GiStarResult", "confidence_bins", "gi_star", "gi_star_z", "two_sided_p"]

SparseMatrix: TypeAlias = sp.csr_array | sp.csr_matrix


@dataclass(frozen=True, slots=True)
class GiStarResult:
    """Gi* per cell: ``z`` score, two-sided ``p`` and Benjamini–Hochberg ``q`` (same order)."""

    z: FloatArray
    p: FloatArray
    q: FloatArray

    def bins(self) -> Int8Array:
        """Confidence class per cell: ±3 (q ≤ 0.01), ±2 (≤ 0.05), ±1 (≤ 0.10), else 0."""
        return confidence_bins(self.z, self.q)


def two_sided_p(z: npt.ArrayLike) -> FloatArray:
    """``p = 2 · Φ(−|z|)`` from the standard normal, clipped to [0, 1]."""
    zz = np.asarray(z, dtype=np.float64)
    p: FloatArray = np.minimum(2.0 * special.ndtr(-np.abs(zz)), 1.0)
    return p


def confidence_bins(z: npt.ArrayLike, q: npt.ArrayLike) -> Int8Array:
    """Sign of ``z`` times 3, 2 or 1 for ``q`` ≤ 0.01, 0.05 or 0.10, else 0 (ESRI's Gi_Bin
    classes, here on FDR-adjusted values)."""
    zz = np.asarray(z, dtype=np.float64)
    qq = np.asarray(q, dtype=np.float64)
    level = (qq <= 0.10).astype(np.int8) + (qq <= 0.05) + (qq <= 0.01)
    out: Int8Array = (np.sign(zz).astype(np.int8) * level).astype(np.int8)
    return out


def _check_neighbors(neighbors: object, n: int, validate: bool) -> SparseMatrix:
    if not sp.issparse(neighbors):
        raise TypeError("neighbors must be a scipy.sparse matrix")
    matrix = neighbors if isinstance(neighbors, sp.csr_array | sp.csr_matrix) else None
    if matrix is None:
        matrix = sp.csr_array(neighbors)
    if matrix.shape != (n, n):
        raise ValueError(f"neighbors must be {n}×{n}, got {matrix.shape[0]}×{matrix.shape[1]}")
    if validate and matrix.nnz:
        if not matrix.has_canonical_format:  # duplicate entries would count twice
            matrix = matrix.copy()
            matrix.sum_duplicates()
        data = matrix.data
        if not np.all(data == 1):
            raise ValueError("neighbors must be binary (every stored value 1)")
        if np.any(matrix.diagonal() != 0):
            raise ValueError("neighbors must not contain self-loops (the cell is added by Gi*)")
        out_degree = np.diff(matrix.indptr)
        in_degree = np.bincount(matrix.indices, minlength=n)
        if not np.array_equal(out_degree, in_degree):
            raise ValueError("neighbors must be symmetric")
    return matrix


def _check_values(values: npt.ArrayLike) -> FloatArray:
    y = np.asarray(values, dtype=np.float64)
    if y.size and not (y.min() >= 0.0 and np.isfinite(y.max())):
        if np.isnan(y).any():
            raise ValueError("values must not contain NaN")
        raise ValueError("values must be finite and non-negative counts")
    return y


def _degrees(matrix: SparseMatrix) -> IntArray:
    if matrix.has_canonical_format:
        degrees: IntArray = np.diff(matrix.indptr).astype(np.int64)
    else:
        degrees = np.asarray((matrix != 0).sum(axis=1), dtype=np.int64).ravel()
    return degrees


def _local_sums(y: FloatArray, matrix: SparseMatrix) -> FloatArray:
    """``S = A·x + x``: each cell's value plus its neighbours' (the star statistic's sum)."""
    sums = np.asarray(matrix @ y, dtype=np.float64)
    sums += y
    return sums


def _z_scores(
    y: FloatArray,
    matrix: SparseMatrix,
    cardinality: FloatArray,
    sums: FloatArray | None = None,
) -> FloatArray:
    """Gi* z for ``y`` of shape (n,) or (n, t): one grid, ``t`` independent layers.
    ``sums``: the local sums when the caller has them already (not changed)."""
    n = y.shape[0]
    if n < 2:
        return np.zeros(y.shape, dtype=np.float64)
    mean = y.mean(axis=0)
    centred = y - mean
    np.square(centred, out=centred)
    std = np.sqrt(centred.mean(axis=0))
    del centred
    # z = (S − c·x̄) / (s·sqrt(c(n − c)/(n − 1))), computed in place on S
    z = _local_sums(y, matrix) if sums is None else sums.copy()
    if y.ndim == 1:
        z -= cardinality * mean
        denominator = np.sqrt(cardinality * (n - cardinality) / (n - 1.0)) * std
    else:
        z -= cardinality[:, None] * mean[None, :]
        scale = np.sqrt(cardinality * (n - cardinality) / (n - 1.0))
        denominator = scale[:, None] * std[None, :]
    positive = denominator > 0
    np.divide(z, denominator, out=z, where=positive)
    z[~positive] = 0.0
    return z


def gi_star_z(
    values: npt.ArrayLike, neighbors: SparseMatrix, *, validate: bool = True
) -> FloatArray:
    """Gi* z scores of one grid for a 1-d ``values`` (n,) or for ``t`` layers at once (n, t).

    Each column is standardised with its own mean and standard deviation, as if
    :func:`gi_star` had been called on it alone; used for the time steps of emerging hot spots.
    """
    y = _check_values(values)
    if y.ndim not in (1, 2):
        raise ValueError("values must be 1-d (n,) or 2-d (n, t)")
    matrix = _check_neighbors(neighbors, y.shape[0], validate)
    cardinality = _degrees(matrix).astype(np.float64) + 1.0
    return _z_scores(y, matrix, cardinality)


def gi_star(
    values: npt.ArrayLike, neighbors: SparseMatrix, *, validate: bool = True
) -> GiStarResult:
    """Getis–Ord Gi* with binary weights: ``z``, two-sided ``p`` and BH ``q`` per cell.

    ``values``: 1-d float array of non-negative counts, one per cell. ``neighbors``: symmetric
    binary ``scipy.sparse`` CSR matrix without self-loops, as from
    :func:`samtrygg.analysis.grid.neighbors_csr`. ``validate=False`` skips the checks of the
    matrix (binary, no diagonal, in-degree = out-degree) for callers that built it themselves.
    """
    y = _check_values(values)
    if y.ndim != 1:
        raise ValueError("values must be a 1-d array")
    matrix = _check_neighbors(neighbors, y.shape[0], validate)
    degrees = _degrees(matrix)
    sums = _local_sums(y, matrix)
    z = _z_scores(y, matrix, degrees.astype(np.float64) + 1.0, sums)
    groups = _same_statistic_groups(sums, degrees)
    if groups is None:
        p = two_sided_p(z)
        return GiStarResult(z=z, p=p, q=bh_qvalues(p))
    # Cells with the same local sum and the same number of neighbours have the same z, bit
    # for bit (the same arithmetic on the same numbers): p and q are computed once per group.
    group, n_groups = groups
    member = np.empty(n_groups, dtype=np.int64)
    member[group] = np.arange(group.size)
    p_group = two_sided_p(z[member])
    q_group = bh_qvalues_of_groups(p_group, np.bincount(group, minlength=n_groups))
    return GiStarResult(z=z, p=p_group[group], q=q_group[group])


# Counts give whole-number local sums; a grid has few distinct (sum, neighbours) pairs, so
# they are numbered with a table as long as their range (bounded here) instead of a sort.
_GROUP_TABLE_PER_CELL = 8


def _same_statistic_groups(sums: FloatArray, degrees: IntArray) -> tuple[IntArray, int] | None:
    """A group number per cell for equal (local sum, degree), and the number of groups; None
    when the sums are not whole numbers or their range is too wide for a table."""
    n = sums.size
    if n < 2:
        return None
    top = float(sums.max())
    width = int(degrees.max()) + 1
    limit = _GROUP_TABLE_PER_CELL * n + 4096
    if (top + 1.0) * width > limit:
        return None
    whole = sums.astype(np.int64)
    if not np.array_equal(whole, sums):
        return None
    key = whole * width + degrees
    seen = np.zeros(int(key.max()) + 1, dtype=bool)
    seen[key] = True
    number = np.cumsum(seen, dtype=np.int64)
    return number[key] - 1, int(number[-1])
