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

from samtrygg.observations.importing import HEADER
from samtrygg.observations.models import Observation
from samtrygg.observations.queries import iso_week
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


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe_text(text: str) -> str:
    """Free text that a spreadsheet will not run as a formula (CSV/formula injection)."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _row(obs: Observation, band_labels: dict[str, str], *, spreadsheet: bool = True) -> list[Any]:
    """One export row; for a spreadsheet, text that looks like a formula is defused."""
    safe_text = _safe_text if spreadsheet else str
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


def rows(items: Iterable[Observation], band_labels: dict[str, str]) -> Iterator[list[Any]]:
    for obs in items:
        yield _row(obs, band_labels)


def write_csv(items: Iterable[Observation], out: IO[str], band_labels: dict[str, str]) -> int:
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    count = 0
    for row in rows(items, band_labels):
        writer.writerow(row)
        count += 1
    return count


def csv_bytes(items: Iterable[Observation], band_labels: dict[str, str]) -> tuple[bytes, int]:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    count = write_csv(items, buffer, band_labels)
    return buffer.getvalue().encode("utf-8"), count


def xlsx_bytes(items: Iterable[Observation], band_labels: dict[str, str]) -> tuple[bytes, int]:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Händelser")
    header = []
    for name in COLUMNS:
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    count = 0
    for row in rows(items, band_labels):
        sheet.append(row)
        count += 1
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue(), count


def feature(obs: Observation, band_labels: dict[str, str]) -> dict[str, Any]:
    values = dict(zip(COLUMNS, _row(obs, band_labels, spreadsheet=False), strict=True))
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
