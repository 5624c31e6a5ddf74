"""The one way the product reads tables from files: CSV and XLSX.

One policy for every reader (report imports, Brå statistics, population, reference lists):

- **Encoding.** UTF-8, with or without a byte-order mark; a file that is not valid UTF-8 is
  read as Windows-1252 (Excel's "CSV" on Swedish Windows), with bytes it does not define
  replaced rather than refused.
- **Delimiter.** Semicolon, comma or tab, whichever the header line uses most (a tie goes
  to the semicolon, Excel's choice with a Swedish decimal comma).
- **Errors.** Anything unreadable is a `DomainError` with a Swedish message, never a server
  error: broken CSV quoting, a damaged XLSX (zip or sheet XML), old .xls files.
- **Size.** An XLSX file is a zip archive; its unpacked size is read from the archive's
  directory and refused above `MAX_XLSX_UNPACKED_BYTES` before anything is parsed (a small
  file that would unpack to hundreds of megabytes costs nothing to refuse). Sizes in the
  directory cannot lie: the zip reader stops at the declared size and checks the CRC.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from samtrygg.core.errors import DomainError

DELIMITERS = (";", ",", "\t")
# A full import (50 000 rows of 12 columns) unpacks to well under 100 MB.
MAX_XLSX_UNPACKED_BYTES = 150 * 1024 * 1024
MAX_XLSX_MEMBERS = 1_000
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

Row = tuple[int, list[Any]]


def decode_text(data: bytes | str) -> str:
    """Text of a file under the encoding policy above (the BOM removed)."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def sniff_delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    return max(DELIMITERS, key=first_line.count)


def csv_rows(data: bytes | str, *, delimiter: str | None = None, name: str = "") -> Iterator[Row]:
    """The rows of a CSV file, numbered from 1 (the header)."""
    text = decode_text(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter or sniff_delimiter(text))
    try:
        yield from enumerate(reader, start=1)
    except csv.Error as exc:
        raise DomainError(
            _prefix(name) + _("Filen kan inte läsas som CSV: %(e)s") % {"e": exc}
        ) from exc


def csv_records(
    data: bytes | str, *, delimiter: str | None = None, name: str = ""
) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """The header (names stripped) and the rows as dicts by header name, numbered as lines
    (the first data row is 2). Missing cells are empty strings; blank lines are skipped."""
    rows = csv_rows(data, delimiter=delimiter, name=name)
    first = next(rows, None)
    header = [cell.strip() for cell in first[1]] if first else []

    def records() -> Iterator[tuple[int, dict[str, str]]]:
        for number, cells in rows:
            if blank(cells):
                continue
            padded = cells + [""] * (len(header) - len(cells))
            yield number, dict(zip(header, padded, strict=False))

    return header, records()


def read_csv_file(path: str | Path) -> list[dict[str, str]]:
    """A CSV file on disk as a list of dicts by header name."""
    path = Path(path)
    _header, records = csv_records(path.read_bytes(), name=path.name)
    return [record for _number, record in records]


def check_xlsx(data: bytes) -> None:
    """Refuse an XLSX file that is not a zip archive or would unpack to too much."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise _not_xlsx() from exc
    if len(members) > MAX_XLSX_MEMBERS:
        raise _not_xlsx()
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise DomainError(
            _(
                "Filen packas upp till %(mb)d MB, mer än de %(max)d MB som kan läsas. "
                "Dela upp den i flera filer."
            )
            % {"mb": unpacked // (1024 * 1024), "max": MAX_XLSX_UNPACKED_BYTES // (1024 * 1024)}
        )


def xlsx_rows(data: bytes, *, sheet: str | None = None) -> Iterator[Row]:
    """The rows of an XLSX file's sheet `sheet` (or its first sheet), numbered from 1, as
    the values the cells hold (numbers stay numbers)."""
    from openpyxl import load_workbook

    check_xlsx(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise _not_xlsx() from exc
    try:
        try:
            worksheet = (
                workbook[sheet]
                if sheet is not None and sheet in workbook.sheetnames
                else workbook.worksheets[0]
            )
            for number, row in enumerate(worksheet.iter_rows(values_only=True), start=1):
                yield number, list(row)
        except DomainError:
            raise
        except Exception as exc:  # damaged sheet XML, shared strings or styles
            raise _not_xlsx() from exc
    finally:
        workbook.close()


def table_rows(data: bytes, filename: str = "", *, sheet: str | None = None) -> Iterator[Row]:
    """The rows of a CSV or XLSX file, told apart by content, then by name."""
    if data[:4] == XLSX_MAGIC or filename.lower().endswith((".xlsx", ".xlsm")):
        return xlsx_rows(data, sheet=sheet)
    if data[:8] == XLS_MAGIC:
        raise DomainError(_("Gamla Excel-filer (.xls) kan inte läsas. Spara som .xlsx eller CSV."))
    return csv_rows(data, name=filename)


def blank(cells: Sequence[Any]) -> bool:
    return all(cell is None or str(cell).strip() == "" for cell in cells)


def _not_xlsx() -> DomainError:
    return DomainError(
        _("Filen kan inte läsas som Excel-fil (XLSX). Spara den som .xlsx eller CSV.")
    )


def _prefix(name: str) -> str:
    return f"{name}: " if name else ""
