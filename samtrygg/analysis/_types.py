"""Array type aliases shared by the analysis modules."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
Int32Array = npt.NDArray[np.int32]
Int8Array = npt.NDArray[np.int8]
BoolArray = npt.NDArray[np.bool_]

__all__ = ["BoolArray", "FloatArray", "Int8Array", "Int32Array", "IntArray"]
