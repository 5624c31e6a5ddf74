"""The indicators as files: CSV (the command line and the page) and XLSX.

The CSV's header is exactly ``indicator,area,n,share,ci_low,ci_high,flag``: the item code,
a delområde's name or ``Hela kommunen``, the unweighted count of valid answers, the share and
its Wilson 95 % interval with four decimals (empty when suppressed), and the flag (empty,
``osaker`` or ``undertryckt``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from samtrygg.surveys import items
from samtrygg.surveys.queries import Recorded, Row

CSV_HEADER = ("indicator", "area", "n", "share", "ci_low", "ci_high", "flag")


def _decimal(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


def indicator_records(rows: Sequence[Row]) -> list[list[Any]]:
    return [
        [
            row.code,
            row.area,
            row.result.n,
            _decimal(row.result.share),
            _decimal(row.result.ci_low),
            _decimal(row.result.ci_high),
            row.result.flag,
        ]
        for row in rows
    ]


def indicators_csv(rows: Sequence[Row]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(indicator_records(rows))
    return buffer.getvalue()


def indicators_xlsx(
    wave: Any, rows: Sequence[Row], recorded: Recorded, figures: Sequence[Any]
) -> bytes:
    """A workbook: the indicators (with the previous wave and the comparison), the recorded
    counts beside them, the published figures, and a sheet on how to read them."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet: Any = book.active
    sheet.title = _("Indikatorer")
    selected = wave.self_selected
    head = [
        _("Fråga"),
        _("Mått"),
        _("Område"),
        _("Antal svar"),
        _("Andel"),
        _("Intervall, lägre"),
        _("Intervall, övre"),
        _("Flagga"),
        _("Förra omgången"),
        _("Skillnad"),
        _("Intervallen överlappar"),
    ]
    sheet.append([f"{wave} – {wave.get_sample_display()}"])
    if selected:
        sheet.append(
            [_("Självselekterat urval: andelarna beskriver de som svarade, inte alla boende.")]
        )
    sheet.append(head)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in rows:
        comparison = row.comparison
        sheet.append(
            [
                row.code,
                str(items.INDICATOR_MEANING.get(row.code, row.code)),
                row.area,
                row.result.n,
                row.result.share,
                row.result.ci_low,
                row.result.ci_high,
                _flag_text(row.result.flag),
                row.before.share if row.before else None,
                comparison.difference if comparison else None,
                (_("ja") if comparison.overlap else _("nej")) if comparison else None,
            ]
        )
    for column in ("E", "F", "G", "I", "J"):
        for cell in sheet[column][3:]:
            cell.number_format = "0.0%"
    beside = book.create_sheet(_("Registrerat samma år"))
    beside.append([_("Beskrivs sida vid sida; siffrorna säger inget om orsak och verkan.")])
    beside.append([_("Område"), _("EST-rapporter")])
    for name, count in sorted((recorded.reports or {}).items()):
        beside.append([name, count])
    beside.append([_("Polisens händelser i kommunen"), recorded.police_kommun])
    published = book.create_sheet(_("Publicerade siffror"))
    published.append([_("Källa"), _("Mått"), _("Region"), _("År"), _("Värde"), _("Utgivare")])
    for figure in figures:
        published.append(
            [
                figure.get_source_display(),
                figure.measure,
                figure.region,
                figure.year,
                figure.value,
                figure.publisher,
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _flag_text(flag: str) -> str:
    return {"osaker": _("osäker skattning"), "undertryckt": _("för få svar")}.get(flag, "")
