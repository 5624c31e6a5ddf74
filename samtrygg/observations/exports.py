"""Exports of a filtered list of reports: CSV, XLSX and GeoJSON.

The columns start with those of the import template (so an export can be read back in
another system, or edited and imported), followed by what the system added: number, ISO
week, delområde, organisation, precision, review and merge status. The reporter's identity
is never exported.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.utils import timezone

from samtrygg.core.spreadsheets import Spreadsheet, csv_text
from samtrygg.core.weeks import iso_week
from samtrygg.observations.importing import HEADER
from samtrygg.observations.models import Observation
from samtrygg.observations.timebands import STOCKHOLM

EXTRA = [
    "id",
    "vecka",
    "delomrade",
    "organisation",
    "platsangivelse",
    "granskad",
    "dubblett_av",
    "demo",
]
COLUMNS = HEADER + EXTRA


def _row(obs: Observation, band_labels: dict[str, str], *, csv_file: bool = False) -> list[Any]:
    """One export row; for CSV, text that looks like a formula is defused (an XLSX file
    stores it as text, see `core.spreadsheets`)."""
    safe_text = csv_text if csv_file else str
    local = timezone.localtime(obs.occurred_at, STOCKHOLM)
    return [
        obs.occurred_on.isoformat(),
        local.strftime("%H:%M") if obs.time_exact else "",
        band_labels.get(obs.time_band, obs.time_band).lower(),
        safe_text(obs.category.name),
        safe_text(obs.place.name) if obs.place else "",
        round(obs.lat, 6),
        round(obs.lon, 6),
        safe_text(obs.description),
        obs.assessment,
        obs.people_count if obs.people_count is not None else "",
        str(obs.get_source_display()).lower(),
        "ja" if obs.police_reported else "nej",
        obs.pk,
        iso_week(obs.occurred_on),
        safe_text(obs.area.name) if obs.area else "",
        safe_text(obs.organisation.name),
        obs.location_precision,
        "ja" if obs.reviewed_at else "nej",
        obs.merged_into_id or "",
        "ja" if obs.is_demo else "nej",
    ]


def rows(
    items: Iterable[Observation], band_labels: dict[str, str], *, csv_file: bool = False
) -> Iterator[list[Any]]:
    for obs in items:
        yield _row(obs, band_labels, csv_file=csv_file)


def write_csv(items: Iterable[Observation], out: IO[str], band_labels: dict[str, str]) -> int:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    count = 0
    for row in rows(items, band_labels, csv_file=True):
        writer.writerow(row)
        count += 1
    return count


def csv_bytes(items: Iterable[Observation], band_labels: dict[str, str]) -> tuple[bytes, int]:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    count = write_csv(items, buffer, band_labels)
    return buffer.getvalue().encode("utf-8"), count


def xlsx_bytes(items: Iterable[Observation], band_labels: dict[str, str]) -> tuple[bytes, int]:
    book = Spreadsheet()
    sheet = book.sheet("Händelser")
    sheet.append(COLUMNS, bold=True)
    count = 0
    for row in rows(items, band_labels):
        sheet.append(row)
        count += 1
    return book.to_bytes(), count


def feature(obs: Observation, band_labels: dict[str, str]) -> dict[str, Any]:
    values = dict(zip(COLUMNS, _row(obs, band_labels), strict=True))
    values.pop("lat")
    values.pop("lon")
    return {
        "type": "Feature",
        "id": obs.pk,
        "geometry": {"type": "Point", "coordinates": [round(obs.lon, 6), round(obs.lat, 6)]},
        "properties": values,
    }


def geojson(items: Iterable[Observation], band_labels: dict[str, str]) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [feature(obs, band_labels) for obs in items],
    }
