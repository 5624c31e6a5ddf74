"""Fixtures for surveys and dialogues: a second delområde, a microdata file builder."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest

from samtrygg.surveys import items


@pytest.fixture
def coordinator(orsa: Any, actor_of: Any) -> Any:
    return actor_of(orsa.user("samordnare"), orsa.partnership)


@pytest.fixture
def north(orsa: Any) -> Any:
    """A second delområde of Orsa."""
    from samtrygg.core import services
    from samtrygg.core.dataio import system_actor
    from samtrygg.core.demo import _hexagon

    return services.create_area(
        system_actor(orsa.partnership), name="Norra Orsa", geometry=_hexagon(61.136, 14.623, 500)
    )


def microdata(rows: list[dict[str, Any]], *, weights: bool = False) -> bytes:
    """A file with the exact header; each row a dict of the columns it fills."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header = [*items.CSV_HEADER, *(["weight"] if weights else [])]
    writer.writerow(header)
    for index, row in enumerate(rows, start=1):
        filled = {"respondent": f"r{index}", **row}
        writer.writerow([filled.get(name, "") for name in header])
    return out.getvalue().encode("utf-8")


@pytest.fixture
def make_file() -> Callable[..., bytes]:
    return microdata
