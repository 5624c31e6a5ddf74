"""``samtrygg import observations`` and ``samtrygg export observations``.

Import a partner's own log (CSV or XLSX, the columns of the template at
/rapporter/import/mall.csv): every row is checked first, the privacy screen included; with
one bad row nothing is saved and every error names its row and column (exit code 2).
Importing the same file again changes nothing.

    samtrygg import observations logg.csv --partnership 2034 --organisation "Bostadsbolaget"

Export the reports of a partnership, filtered, as CSV, XLSX or GeoJSON to standard output:

    samtrygg export observations --partnership 2034 --format csv --vecka 2025-W47 > v47.csv
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

from samtrygg.core import dataio
from samtrygg.core.errors import DomainError
from samtrygg.core.models import Organisation
from samtrygg.core.progress import progress


def _organisation(partnership: Any, value: str) -> Organisation:
    orgs = Organisation.objects.filter(partnership=partnership)
    found = (
        orgs.filter(pk=int(value)).first()
        if value.isdigit()
        else orgs.filter(name__iexact=value.strip()).first()
    )
    if found is None:
        names = ", ".join(f"”{o.name}”" for o in orgs.order_by("name"))
        raise DomainError(
            _("Okänd organisation %(v)s. Organisationer i samverkan: %(names)s")
            % {"v": value, "names": names}
        )
    return found


def _import_args(parser: argparse.ArgumentParser) -> None:
    dataio.files_argument(
        parser,
        _(
            "CSV eller XLSX med kolumnerna datum, tid, tidsband, kategori, plats, lat, lon, "
            "beskrivning, bedomning, antal_personer, kalla, polisanmald (se mallen)"
        ),
    )
    dataio.partnership_argument(parser)
    parser.add_argument(
        "--organisation",
        required=True,
        metavar="NAMN",
        help=_("organisationen vars logg filen är (namn eller id)"),
    )
    parser.epilog = _(
        "Alla rader kontrolleras först, också mot integritetsfiltret. Med en felaktig rad "
        "sparas ingenting och varje fel anges med rad och kolumn (slutkod 2). Samma fil två "
        "gånger ger inga dubbletter."
    )


@dataio.register_import(
    "observations",
    _("Händelserapporter från en partners egen logg (allt eller inget)"),
    _import_args,
)
def import_observations(options: argparse.Namespace, out: IO[str]) -> dataio.ImportOutcome:
    from samtrygg.observations import importing, services

    actor = dataio.actor_from(options)
    partnership = actor.partnership
    services.ensure_defaults(partnership)
    organisation = _organisation(partnership, options.organisation)
    outcome = dataio.ImportOutcome()

    def show(items: Any, total: int, label: str) -> Any:
        return progress(items, total=total, label=label, stream=out, unit="rader")

    for name in options.files:
        path = Path(name)
        rows = importing.read_file(path.read_bytes(), path.name)
        try:
            result = services.import_rows(actor, rows, organisation=organisation, progress=show)
        except DomainError as exc:
            raise DomainError(f"{path.name}: {exc.message}", row=exc.row) from exc
        outcome.created += result.created
        outcome.unchanged += result.unchanged
    return outcome


def _export_args(parser: argparse.ArgumentParser) -> None:
    from samtrygg.observations.queries import ObservationFilterParams

    dataio.partnership_argument(parser)
    # The list's filters, as the page and the API have them (one definition).
    for name, info in ObservationFilterParams.model_fields.items():
        parser.add_argument(f"--{name}", default="", help=info.description)


@dataio.register_export(
    "observations",
    _("Händelserapporter, filtrerade (CSV, XLSX eller GeoJSON)"),
    ("csv", "xlsx", "geojson"),
    _export_args,
)
def export_observations(options: argparse.Namespace, out: IO[str]) -> None:
    from samtrygg.observations import exports, queries

    actor = dataio.actor_from(options)
    partnership = actor.partnership
    flt = queries.filter_from(vars(options))
    if flt.problems:
        raise DomainError(" ".join(flt.problems))
    items = queries.observations(actor, flt)
    labels = {b.key: b.label for b in queries.time_bands(partnership)}
    if options.format == "geojson":
        json.dump(exports.geojson(items, labels), out, ensure_ascii=False)
        out.write("\n")
    elif options.format == "xlsx":
        data, _count = exports.xlsx_bytes(items, labels)
        binary = getattr(out, "buffer", None) or sys.stdout.buffer
        out.flush()
        binary.write(data)
        binary.flush()
    else:
        exports.write_csv(items, out, labels)
