"""Loading the reference data shipped in core/reference/: län, kommuner, boundaries, population.

Used by a data migration (so every database has it) and by ``samtrygg loadreference``.
Sources and licences: docs/data-sources.md.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

REFERENCE_DIR = Path(__file__).resolve().parent / "reference"
POPULATION_FILES = {2024: "population_2024.csv"}


def _rows(name: str) -> list[dict[str, str]]:
    from samtrygg.core.tabular import read_csv_file

    return read_csv_file(REFERENCE_DIR / name)


def _boundaries(name: str, code_key: str) -> dict[str, Any]:
    data = json.loads((REFERENCE_DIR / name).read_text(encoding="utf-8"))
    return {f["properties"][code_key]: f["geometry"] for f in data["features"]}


def load(county_model: Any, municipality_model: Any, population_model: Any) -> dict[str, int]:
    """Create or update all 21 län and 290 kommuner with boundaries, and population 2024."""
    lan_geo = _boundaries("swe-maps-lan.geojson", "LnKod")
    kommun_geo = _boundaries("swe-maps-kommun.geojson", "KnKod")
    for row in _rows("counties.csv"):
        county_model.objects.update_or_create(
            code=row["county_code"],
            defaults={"name": row["county_name"], "boundary": lan_geo.get(row["county_code"])},
        )
    for row in _rows("municipality_county.csv"):
        code = row["municipality_code"]
        municipality_model.objects.update_or_create(
            code=code,
            defaults={
                "name": row["municipality_name_short"],
                "county_id": row["county_code"],
                "boundary": kommun_geo.get(code),
            },
        )
    populations = 0
    for year, name in POPULATION_FILES.items():
        for row in _rows(name):
            population_model.objects.update_or_create(
                municipality_id=row["kommun_kod"],
                year=year,
                defaults={"population": int(row["population"]), "source": "SCB, 1 november"},
            )
            populations += 1
    return {
        "counties": county_model.objects.count(),
        "municipalities": municipality_model.objects.count(),
        "populations": populations,
    }
