"""Core data kinds for the command grammar: areas (delområden) and population."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import IO

from django.db import transaction
from django.utils.translation import gettext as _

from samtrygg.core import dataio, tabular
from samtrygg.core.errors import DomainError
from samtrygg.core.models import Municipality
from samtrygg.core.queries import areas as scoped_areas
from samtrygg.core.services import save_population


def _area_args(parser: argparse.ArgumentParser) -> None:
    dataio.files_argument(parser, _("GeoJSON FeatureCollection"))
    dataio.partnership_argument(parser)
    parser.add_argument(
        "--name-property",
        default="name",
        help=_("egenskapen som håller områdets namn (standard: name)"),
    )


@dataio.register_import("areas", _("Delområden från GeoJSON (allt eller inget)"), _area_args)
def import_areas(options: argparse.Namespace, out: IO[str]) -> dataio.ImportOutcome:
    from samtrygg.core import services

    actor = dataio.actor_from(options)
    outcome = dataio.ImportOutcome()
    before = {a.name: a.geometry for a in scoped_areas(actor)}
    with transaction.atomic():
        for name in options.files:
            text = tabular.decode_text(Path(name).read_bytes())
            for area in services.import_areas(actor, text, name_property=options.name_property):
                if area.name not in before:
                    outcome.created += 1
                elif before[area.name] != area.geometry:
                    outcome.updated += 1
                else:
                    outcome.unchanged += 1
    return outcome


def _export_area_args(parser: argparse.ArgumentParser) -> None:
    dataio.partnership_argument(parser)


@dataio.register_export("areas", _("Delområden som GeoJSON"), ("geojson",), _export_area_args)
def export_areas(options: argparse.Namespace, out: IO[str]) -> None:
    actor = dataio.actor_from(options)
    features = [
        {
            "type": "Feature",
            "id": a.pk,
            "properties": {"name": a.name, "population": a.population},
            "geometry": a.geometry,
        }
        for a in scoped_areas(actor)
    ]
    json.dump({"type": "FeatureCollection", "features": features}, out, ensure_ascii=False)
    out.write("\n")


def _population_args(parser: argparse.ArgumentParser) -> None:
    dataio.files_argument(parser, _("CSV från SCB: kommun_kod,kommun_namn,population"))
    parser.add_argument("--year", type=int, required=True, help=_("året som folkmängden avser"))


@dataio.register_import("population", _("Folkmängd per kommun och år (SCB)"), _population_args)
def import_population(options: argparse.Namespace, out: IO[str]) -> dataio.ImportOutcome:
    """All rows are validated before anything is written; one bad row refuses the file."""
    year = options.year
    if not 1900 <= year <= 2100:
        raise DomainError(_("Orimligt år: %(y)d.") % {"y": year})
    known = set(Municipality.objects.values_list("code", flat=True))
    rows: dict[str, int] = {}
    errors: list[str] = []
    for name in options.files:
        header, reader = tabular.csv_records(Path(name).read_bytes(), name=name)
        columns = set(header)
        code_col = next((c for c in ("kommun_kod", "kommunkod", "region") if c in columns), None)
        pop_col = next((c for c in ("population", "folkmangd", "folkmängd") if c in columns), None)
        if code_col is None or pop_col is None:
            raise DomainError(
                _("%(f)s: kolumnerna kommun_kod och population saknas.") % {"f": name}
            )
        for line, row in reader:
            code = (row.get(code_col) or "").strip()[:4].zfill(4)
            raw = (row.get(pop_col) or "").strip().replace(" ", "")
            if code not in known:
                errors.append(
                    _("%(f)s rad %(r)d, kolumn %(c)s: okänd kommunkod ”%(v)s”.")
                    % {"f": name, "r": line, "c": code_col, "v": code}
                )
                continue
            if not (raw.isascii() and raw.isdigit()):
                errors.append(
                    _("%(f)s rad %(r)d, kolumn %(c)s: ”%(v)s” är inget heltal.")
                    % {"f": name, "r": line, "c": pop_col, "v": raw}
                )
                continue
            rows[code] = int(raw)
    if errors:
        raise DomainError(_("Inget har sparats.") + "\n" + "\n".join(errors))
    outcome = dataio.ImportOutcome()
    outcome.created, outcome.updated, outcome.unchanged = save_population(None, year, rows)
    return outcome
