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
    from samtrygg.core.spreadsheets import Spreadsheet

    book = Spreadsheet()
    sheet = book.sheet(_("Indikatorer"), fit_columns=True)
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
    sheet.append([f"{wave} – {wave.get_sample_display()}"], bold=True)
    if wave.self_selected:
        sheet.append(
            [_("Självselekterat urval: andelarna beskriver de som svarade, inte alla boende.")]
        )
    sheet.append(head, bold=True)
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
    beside = book.sheet(_("Registrerat samma år"), fit_columns=True)
    beside.append([_("Beskrivs sida vid sida; siffrorna säger inget om orsak och verkan.")])
    beside.append([_("Område"), _("EST-rapporter")], bold=True)
    for name, count in sorted((recorded.reports or {}).items()):
        beside.append([name, count])
    beside.append([_("Polisens händelser i kommunen"), recorded.police_kommun])
    published = book.sheet(_("Publicerade siffror"), fit_columns=True)
    published.append(
        [_("Källa"), _("Mått"), _("Region"), _("År"), _("Värde"), _("Utgivare")], bold=True
    )
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
    return book.to_bytes()


def _flag_text(flag: str) -> str:
    return {"osaker": _("osäker skattning"), "undertryckt": _("för få svar")}.get(flag, "")
