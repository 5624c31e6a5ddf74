"""Shared fixtures and the hypothesis profiles of the analysis tests.

The engine needs no Django, so these tests run with ``-p no:django``. Two hypothesis profiles
are registered here and applied to the property tests of this folder only (through
:data:`PROPERTY`, never loaded globally): ``analysis-ci`` when ``CI`` is set in the environment
(more examples, derandomised), ``analysis-dev`` otherwise.
"""

from __future__ import annotations

import os
from types import SimpleNamespace

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

hypothesis_settings.register_profile(
    "analysis-dev", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.register_profile(
    "analysis-ci",
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
#: Decorator for every property test of this folder.
PROPERTY = hypothesis_settings(
    hypothesis_settings.get_profile("analysis-ci" if os.environ.get("CI") else "analysis-dev")
)


@pytest.fixture
def settings() -> SimpleNamespace:
    """Stands in for pytest-django's ``settings`` (for autouse fixtures of the parent folder)
    when the analysis tests run without Django; the engine never reads it."""
    return SimpleNamespace()


# A res-9 cell in Falun (Dalarna) and the h3 library's API on plain integers.
FALUN_RES9 = 617145106412077055


@pytest.fixture(scope="session")
def h3i():  # type: ignore[no-untyped-def]
    from h3.api import basic_int

    return basic_int


def random_graph(rng: np.random.Generator, n: int, density: float) -> sp.csr_array:
    """A random symmetric binary adjacency matrix without self-loops (islands allowed)."""
    upper = np.triu(rng.random((n, n)) < density, 1)
    dense = (upper | upper.T).astype(np.float64)
    return sp.csr_array(dense)


@st.composite
def graphs_and_values(draw: st.DrawFn, max_cells: int = 25) -> tuple[sp.csr_array, np.ndarray]:
    """(symmetric binary adjacency without self-loops, non-negative counts)."""
    n = draw(st.integers(min_value=0, max_value=max_cells))
    pairs = n * (n - 1) // 2
    bits = draw(st.lists(st.booleans(), min_size=pairs, max_size=pairs))
    dense = np.zeros((n, n), dtype=np.float64)
    if pairs:
        rows, cols = np.triu_indices(n, 1)
        chosen = np.asarray(bits, dtype=bool)
        dense[rows[chosen], cols[chosen]] = 1.0
        dense[cols[chosen], rows[chosen]] = 1.0
    values = draw(
        st.lists(
            st.one_of(
                st.integers(min_value=0, max_value=20),
                st.integers(min_value=0, max_value=10**12),
            ),
            min_size=n,
            max_size=n,
        )
    )
    return sp.csr_array(dense), np.asarray(values, dtype=np.float64)
