"""Surveys in the command grammar.

* ``samtrygg import survey-responses FILE --partnership KOMMUNKOD --survey NAME --year YYYY
  --sample random|open``: a supplier's microdata (CSV or XLSX, header ``items.CSV_HEADER``
  and an optional last column ``weight``), all or nothing.
* ``samtrygg import survey-figures FILE --partnership KOMMUNKOD``: published figures (the
  police's index 0–6, NTU shares), all or nothing.
* ``samtrygg export survey-indicators --partnership KOMMUNKOD --survey NAME [--year YYYY]
  --format csv``: the indicators of the survey's latest wave (or that year's).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _

from samtrygg.core import dataio
from samtrygg.core.errors import DomainError
from samtrygg.surveys import exports, queries, services


def _file(name: str) -> tuple[bytes, str]:
    path = Path(name)
    if not path.is_file():
        raise DomainError(_("Filen finns inte: %(f)s") % {"f": path})
    return path.read_bytes(), path.name


def _response_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FIL", help=_("CSV eller XLSX med ett svar per rad"))
    dataio.partnership_argument(parser)
    parser.add_argument("--survey", required=True, metavar="NAMN", help=_("undersökningens namn"))
    parser.add_argument("--year", required=True, metavar="ÅÅÅÅ", help=_("omgångens år"))
    parser.add_argument(
        "--sample",
        required=True,
        choices=("random", "open"),
        help=_("random: slumpmässigt urval; open: öppen länk (självselekterat urval)"),
    )


@dataio.register_import(
    "survey-responses", _("Svar på en trygghetsundersökning (allt eller inget)"), _response_args
)
def import_survey_responses(options: argparse.Namespace, out: IO[str]) -> dataio.ImportOutcome:
    actor = dataio.actor_from(options)
    data, name = _file(options.file)
    result = services.import_responses(
        actor, data, name, survey=options.survey, year=options.year, sample=options.sample
    )
    for area, count in sorted(result.areas.items()):
        out.write(f"{area or _('utan delområde')}: {count}\n")
    return dataio.ImportOutcome(created=result.responses)


def _figure_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", metavar="FIL", help=_("CSV eller XLSX: source,measure,region,area,year,value")
    )
    dataio.partnership_argument(parser)


@dataio.register_import(
    "survey-figures", _("Publicerade trygghetssiffror (polisens index, NTU)"), _figure_args
)
def import_survey_figures(options: argparse.Namespace, out: IO[str]) -> dataio.ImportOutcome:
    actor = dataio.actor_from(options)
    data, name = _file(options.file)
    return dataio.ImportOutcome(created=services.import_figures(actor, data, name))


def _export_args(parser: argparse.ArgumentParser) -> None:
    dataio.partnership_argument(parser)
    parser.add_argument("--survey", required=True, metavar="NAMN", help=_("undersökningens namn"))
    parser.add_argument(
        "--year", type=int, metavar="ÅÅÅÅ", help=_("omgångens år (standard: den senaste)")
    )


@dataio.register_export(
    "survey-indicators", _("Indikatorer per fråga och område"), ("csv",), _export_args
)
def export_survey_indicators(options: argparse.Namespace, out: IO[str]) -> None:
    actor = dataio.actor_from(options)
    survey = queries.survey_named(actor, options.survey)
    if survey is None:
        raise DomainError(
            _("Det finns ingen undersökning som heter %(n)s.") % {"n": options.survey}
        )
    wave = queries.latest_wave_of(actor, survey, options.year)
    if wave is None:
        raise DomainError(
            _("%(s)s har ingen omgång %(y)s.") % {"s": survey.name, "y": options.year}
        )
    out.write(exports.indicators_csv(queries.indicator_table(wave)))
