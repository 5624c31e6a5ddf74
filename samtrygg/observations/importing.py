"""Reading a partner's own log (CSV or XLSX) into rows, and the downloadable template.

The columns have Swedish headers (see ``COLUMNS``); the order does not matter, extra columns
(such as those of an export) are ignored, and headers may be written with å, ä, ö or spaces
(``bedömning``, ``antal personer``). CSV may be separated by comma, semicolon or tab, in
UTF-8 (with or without BOM) or Windows-1252, with a decimal comma in lat/lon when the
separator is a semicolon. Validation itself is the service's (``services.import_rows``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samtrygg.core import tabular
from samtrygg.core.errors import DomainError
from samtrygg.observations.services import ImportRow, IncidentInput, _fold

MAX_ROWS = 50_000


@dataclass(frozen=True)
class Column:
    name: str
    field: str
    required: bool
    help: Any


COLUMNS: tuple[Column, ...] = (
    Column("datum", "occurred_on", True, gettext_lazy("ÅÅÅÅ-MM-DD, t.ex. 2025-11-20")),
    Column(
        "tid", "time", False, gettext_lazy("klockslag TT:MM – eller lämna tomt och ange tidsband")
    ),
    Column(
        "tidsband",
        "time_band",
        False,
        gettext_lazy("morgon, dag, kväll eller natt (samverkans tidsband)"),
    ),
    Column("kategori", "category", True, gettext_lazy("en av samverkans kategorier")),
    Column(
        "plats",
        "place",
        False,
        gettext_lazy("en namngiven plats – eller lämna tomt och ange lat och lon"),
    ),
    Column("lat", "lat", False, gettext_lazy("latitud i WGS84, t.ex. 61.1205")),
    Column("lon", "lon", False, gettext_lazy("longitud i WGS84, t.ex. 14.6160")),
    Column(
        "beskrivning",
        "description",
        True,
        gettext_lazy(
            "vad som hände – aldrig namn, personnummer, telefonnummer eller registreringsnummer"
        ),
    ),
    Column(
        "bedomning",
        "assessment",
        True,
        gettext_lazy("1–4: hur mycket händelsen påverkar tryggheten"),
    ),
    Column(
        "antal_personer",
        "people_count",
        False,
        gettext_lazy("ungefärligt antal inblandade, heltal"),
    ),
    Column(
        "kalla",
        "source",
        False,
        gettext_lazy("egen iakttagelse (standard), boende, sociala medier eller polisanmälan"),
    ),
    Column("polisanmald", "police_reported", False, gettext_lazy("ja eller nej (standard nej)")),
)
HEADER = [c.name for c in COLUMNS]
_ALIASES = {"latitud": "lat", "longitud": "lon", "klockslag": "tid", "kallan": "kalla"}


def _header_key(text: Any) -> str:
    key = re.sub(r"[\s\-]+", "_", _fold(str(text or "")))
    return _ALIASES.get(key, key)


def _columns_of(header: Sequence[Any]) -> dict[str, int]:
    """Known column name -> index; refuses a header without the required columns."""
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = _header_key(cell)
        if key in HEADER and key not in found:
            found[key] = index
    missing = [c.name for c in COLUMNS if c.required and c.name not in found]
    if "plats" not in found and not ("lat" in found and "lon" in found):
        missing.append(_("plats (eller lat och lon)"))
    if "tid" not in found and "tidsband" not in found:
        missing.append(_("tid eller tidsband"))
    if missing:
        raise DomainError(
            _(
                "Rad 1: kolumnerna %(cols)s saknas. Första raden ska vara rubrikerna i mallen: "
                "%(header)s. Inget har sparats."
            )
            % {"cols": ", ".join(missing), "header": ",".join(HEADER)},
            row=1,
        )
    return found


def _rows(records: Iterator[tuple[int, Sequence[Any]]]) -> list[ImportRow]:
    first = next(records, None)
    if first is None:
        raise DomainError(_("Filen är tom."))
    columns = _columns_of(first[1])
    location_columns = "/".join(name for name in ("plats", "lat", "lon") if name in columns)
    names = {c.field: c.name for c in COLUMNS}
    names["location"] = location_columns
    rows: list[ImportRow] = []
    for number, cells in records:
        if tabular.blank(cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise DomainError(
                _("Filen har fler än %(n)d rader. Dela upp den i flera filer.") % {"n": MAX_ROWS}
            )
        values = {
            name: (cells[index] if index < len(cells) else None) for name, index in columns.items()
        }
        incident = IncidentInput(
            category=values.get("kategori"),
            occurred_on=values.get("datum"),
            time=values.get("tid"),
            time_band=values.get("tidsband"),
            place=_text(values.get("plats")),
            lat=values.get("lat"),
            lon=values.get("lon"),
            description=_as_typed(values.get("beskrivning")),
            assessment=values.get("bedomning"),
            people_count=values.get("antal_personer"),
            source=values.get("kalla"),
            police_reported=values.get("polisanmald"),
        )
        rows.append(ImportRow(number, incident, names))
    return rows


def _as_typed(value: Any) -> Any:
    """Free text from a cell as the user typed it. A number cell holds what Excel made of
    the typing: 0701234567 becomes 701234567, so a nine-digit whole number starting with 7
    (a Swedish mobile number without its leading zero) gets its zero back, and the privacy
    screen sees the telephone number for what it is."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    if isinstance(value, float):
        if not value.is_integer():
            return str(value)
        value = int(value)
    text = str(value)
    if len(text) == 9 and text.startswith("7"):
        return "0" + text
    return text


def _text(value: Any) -> Any:
    """A place is named, never given by number: keep it as text."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_csv(data: bytes) -> list[ImportRow]:
    return _rows(tabular.csv_rows(data))


def read_xlsx(data: bytes) -> list[ImportRow]:
    return _rows(tabular.xlsx_rows(data, sheet="Händelser"))


def read_file(data: bytes, filename: str = "") -> list[ImportRow]:
    """Rows of a CSV or XLSX file (told apart by content, then by name)."""
    return _rows(tabular.table_rows(data, filename, sheet="Händelser"))


def template_csv() -> bytes:
    """The CSV template: the header row, UTF-8 with BOM so that Excel reads å, ä and ö."""
    return ("\ufeff" + ",".join(HEADER) + "\r\n").encode("utf-8")


def template_xlsx(categories: Sequence[str], bands: Sequence[str], places: Sequence[str]) -> bytes:
    """The XLSX template: a sheet to fill in, with choice lists, and a sheet explaining it."""
    from openpyxl.utils import get_column_letter

    from samtrygg.core.spreadsheets import Spreadsheet

    book = Spreadsheet()
    sheet = book.sheet("Händelser")
    widths = {"beskrivning": 60, "kategori": 34, "plats": 28}
    sheet.set_widths({index: widths.get(name, 14) for index, name in enumerate(HEADER, start=1)})
    sheet.freeze_header()
    values = {
        "kategori": list(categories),
        "tidsband": list(bands),
        "plats": list(places),
        "kalla": [str(label).lower() for label in _source_labels()],
        "polisanmald": ["ja", "nej"],
        "bedomning": ["1", "2", "3", "4"],
    }
    for col, (name, items) in enumerate(values.items(), start=1):
        if not items:
            continue
        letter = get_column_letter(col)
        target = get_column_letter(HEADER.index(name) + 1)
        sheet.add_choice_list(
            f"Val!${letter}$2:${letter}${len(items) + 1}",
            f"{target}2:{target}10000",
            strict=name != "plats",
        )
    sheet.append(HEADER, bold=True)

    lists = book.sheet("Val")
    lists.append(values, bold=True)
    for row in range(max(len(items) for items in values.values())):
        lists.append(items[row] if row < len(items) else None for items in values.values())

    info = book.sheet("Förklaring")
    info.set_widths({1: 18, 3: 90})
    info.append([_("Kolumn"), _("Krävs"), _("Innehåll")], bold=True)
    for column in COLUMNS:
        info.append([column.name, _("ja") if column.required else _("nej"), str(column.help)])
    info.append([])
    info.append([_("En rad per händelse. Ange tid eller tidsband, och plats eller lat och lon.")])
    info.append(
        [
            _(
                "Alla rader sparas, eller ingen om någon rad är fel. "
                "Samma fil två gånger ger inga dubbletter."
            )
        ]
    )
    return book.to_bytes()


def _source_labels() -> list[Any]:
    from samtrygg.observations.models import Source

    return list(Source.labels)
