"""The one way the product writes spreadsheets.

Every XLSX file the product makes (report exports, the adopted lägesbild, meeting minutes,
the import template) is built with `Spreadsheet`. Text is always written as a text cell:
a value that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is stored
as text with Excel's own "typed with an apostrophe" mark (quotePrefix), so a spreadsheet
program shows it but never runs it as a formula (formula injection). Characters that the
XLSX format cannot hold (control characters) are dropped rather than failing the file.

CSV has no cell types, so `csv_text` defuses the same values by putting an apostrophe in
front, as spreadsheet programs expect.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_BOLD = Font(bold=True)
# Excel's limit on the text of one cell.
_MAX_CELL_TEXT = 32767


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_START)


def csv_text(text: str) -> str:
    """Free text for a CSV file that a spreadsheet program will not run as a formula."""
    return "'" + text if looks_like_formula(text) else text


class Sheet:
    """One worksheet. Rows are kept until the workbook is saved, so that column widths can
    be fitted to the content (`fit_columns`) or streamed straight through (the default)."""

    def __init__(self, book: Spreadsheet, title: str, *, fit_columns: bool) -> None:
        self._book = book
        self._sheet = book._book.create_sheet(_sheet_title(title))
        self._fit = fit_columns
        self._held: list[tuple[list[Any], int]] = []

    def append(
        self, values: Iterable[Any] = (), *, bold: bool = False, bold_first: bool = False
    ) -> None:
        """One row; `bold` for a header row, `bold_first` for a label in the first column."""
        row = list(values)
        style = 2 if bold else 1 if bold_first else 0
        if self._fit:
            self._held.append((row, style))
        else:
            self._write(row, style)

    def set_widths(self, widths: dict[int, float]) -> None:
        """Column widths by column number (1 = A); before the first row."""
        for index, width in widths.items():
            self._sheet.column_dimensions[get_column_letter(index)].width = width

    def freeze_header(self) -> None:
        self._sheet.freeze_panes = "A2"

    def add_choice_list(self, source: str, target: str, *, strict: bool = True) -> None:
        """A drop-down list in the cells `target` (e.g. "D2:D10000") taken from `source`."""
        validation = DataValidation(
            type="list", formula1=f"={source}", allow_blank=True, showErrorMessage=strict
        )
        validation.add(target)
        self._sheet.data_validations.append(validation)

    def _write(self, row: Sequence[Any], style: int) -> None:
        self._sheet.append(
            [
                self._cell(value, style == 2 or (style == 1 and index == 0))
                for index, value in enumerate(row)
            ]
        )

    def _cell(self, value: Any, bold: bool) -> Cell:
        text = isinstance(value, str)
        if text:
            value = _ILLEGAL.sub("", value)[:_MAX_CELL_TEXT]
        cell = WriteOnlyCell(self._sheet, value=value)
        if text and value:
            # Never a formula: text stays text, whatever it starts with.
            cell.data_type = "s"
            if looks_like_formula(value):
                cell.quotePrefix = True
        if bold:
            cell.font = _BOLD
        return cell

    def _flush(self) -> None:
        if not self._fit:
            return
        widths: dict[int, int] = {}
        for row, _style in self._held:
            for index, value in enumerate(row, start=1):
                size = len(str(value)) if value is not None else 0
                widths[index] = max(widths.get(index, 10), min(60, size))
        for index, width in widths.items():
            self._sheet.column_dimensions[get_column_letter(index)].width = width
        for row, style in self._held:
            self._write(row, style)
        self._held = []


class Spreadsheet:
    """An XLSX workbook written in streaming mode (memory stays flat for long exports)."""

    def __init__(self) -> None:
        self._book = Workbook(write_only=True)
        self._sheets: list[Sheet] = []

    def sheet(self, title: str, *, fit_columns: bool = False) -> Sheet:
        sheet = Sheet(self, title, fit_columns=fit_columns)
        self._sheets.append(sheet)
        return sheet

    def to_bytes(self) -> bytes:
        for sheet in self._sheets:
            sheet._flush()
        if not self._sheets:
            self.sheet("Blad1")
        out = io.BytesIO()
        self._book.save(out)
        return out.getvalue()


def _sheet_title(title: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    cleaned = re.sub(r"[\[\]:*?/\\]", "-", str(title)).strip("'") or "Blad"
    return cleaned[:31]
