"""External sources in the command grammar.

* ``samtrygg import police-events FILE...``: the police feed as one API response (a JSON
  array), JSON Lines of events or of revisions; skip and report (exit 1 when records were
  skipped).
* ``samtrygg export police-events --format csv|geojson|jsonl [--kommun KOD] [--lan KOD]
  [--from DATUM] [--to DATUM] [--partnership KOMMUNKOD]`` to standard output.
* ``samtrygg import bra-crime FILE... [--year ÅR]``: Brå's reported crimes per kommun; a
  person's file, so all or nothing.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from samtrygg.core import dataio
from samtrygg.core.errors import DomainError
from samtrygg.core.progress import progress
from samtrygg.sources import police_feed
from samtrygg.sources.models import PoliceEvent, SourceRun

if TYPE_CHECKING:
    from samtrygg.sources.police_import import PoliceImportResult

STOCKHOLM = ZoneInfo("Europe/Stockholm")
CSV_HEADER = [
    "id",
    "published",
    "occurred",
    "type",
    "category",
    "kommunkod",
    "lan_kod",
    "precision",
    "is_summary",
    "url",
]
POINT_NOTE = "kommunens eller länets mittpunkt enligt polisen, inte platsen för händelsen"


def _count_records(path: Path) -> int | None:
    """Records in a feed file, for the progress bar (lines, or array elements roughly)."""
    try:
        with police_feed.open_feed(path) as handle:
            head = handle.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
            handle.seek(0)
            if head.startswith(b"["):
                # Every key of an API object appears once per event; a broken record may
                # lack one, so take the most frequent.
                keys = (b'"id"', b'"datetime"', b'"location"')
                found = dict.fromkeys(keys, 0)
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    for key in keys:
                        found[key] += chunk.count(key)
                return max(found.values()) or None
            return sum(1 for line in handle if line.strip())
    except OSError:
        return None


def _raw_stream(out: IO[str]) -> IO[str]:
    """The terminal behind Django's OutputWrapper (which would end every bar update with a
    newline), so the progress bar redraws in place."""
    return getattr(out, "_out", out)


def _import_args(parser: argparse.ArgumentParser) -> None:
    dataio.files_argument(
        parser, _("JSON-svar från API:t, JSON Lines med händelser eller med versioner")
    )


@dataio.register_import(
    "police-events", _("Polisens händelser (JSON, JSON Lines, versioner)"), _import_args
)
def import_police_events(options: argparse.Namespace, out: IO[str]) -> PoliceImportResult:
    from samtrygg.sources.police_import import PoliceImportResult, import_events
    from samtrygg.sources.services import record_police_types

    paths = [dataio.existing_file(name) for name in options.files]
    resolver = police_feed.KommunResolver()
    outcome = PoliceImportResult()
    run = SourceRun.objects.create(
        source="police-events",
        kind=SourceRun.Kind.IMPORT,
        detail=", ".join(p.name for p in paths),
    )
    stream = _raw_stream(out)
    for path in paths:
        items = progress(
            police_feed.read_feed(path, resolver),
            total=_count_records(path),
            label=path.name,
            stream=stream,
            unit="händelser",
        )
        outcome.add(import_events(items, label=path.name))
    record_police_types(outcome.types)
    run.take_counts(outcome)
    run.finished_at = timezone.now()
    run.ok = True
    run.detail = "\n".join([run.detail, outcome.summary(), *outcome.problems[:200]])
    run.save()
    return outcome


# --------------------------------------------------------------------------- export


def _export_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--kommun", metavar="KOD", help=_("bara händelser i kommunen med den fyrsiffriga koden")
    )
    parser.add_argument(
        "--lan", metavar="KOD", help=_("bara händelser i länet med den tvåsiffriga koden")
    )
    parser.add_argument(
        "--from",
        dest="date_from",
        metavar="DATUM",
        help=_("publicerade från och med datum (ÅÅÅÅ-MM-DD, svensk tid)"),
    )
    parser.add_argument(
        "--to",
        dest="date_to",
        metavar="DATUM",
        help=_("publicerade till och med datum (ÅÅÅÅ-MM-DD, svensk tid)"),
    )
    parser.add_argument(
        "--partnership",
        metavar="KOMMUNKOD",
        help=_("fyll i kategori enligt samverkans tabell över polisens händelsetyper"),
    )
    parser.add_argument(
        "--no-summaries",
        action="store_true",
        help=_("utelämna sammanfattningar (typer som börjar med ”Sammanfattning”)"),
    )


def _date(value: str | None, label: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise DomainError(
            _("Ogiltigt datum för %(l)s: %(v)s (skriv ÅÅÅÅ-MM-DD).") % {"l": label, "v": value}
        ) from exc


def _local_iso(value: dt.datetime | None) -> str:
    return value.astimezone(STOCKHOLM).isoformat() if value else ""


def _filtered(options: argparse.Namespace) -> QuerySet[PoliceEvent]:
    from samtrygg.core.models import County, Municipality

    qs = PoliceEvent.objects.all()
    if options.kommun:
        if not Municipality.objects.filter(code=options.kommun).exists():
            raise DomainError(
                _("Okänd kommunkod: %(c)s. En kommunkod har fyra siffror, t.ex. 2034.")
                % {"c": options.kommun}
            )
        qs = qs.filter(municipality_id=options.kommun)
    if options.lan:
        if not County.objects.filter(code=options.lan).exists():
            raise DomainError(
                _("Okänd länskod: %(c)s. En länskod har två siffror, t.ex. 20.")
                % {"c": options.lan}
            )
        qs = qs.filter(county_id=options.lan)
    start = _date(options.date_from, "--from")
    end = _date(options.date_to, "--to")
    if start and end and end < start:
        raise DomainError(_("--to ligger före --from."))
    if start:
        qs = qs.filter(published__gte=dt.datetime.combine(start, dt.time.min, tzinfo=STOCKHOLM))
    if end:
        qs = qs.filter(
            published__lt=dt.datetime.combine(
                end + dt.timedelta(days=1), dt.time.min, tzinfo=STOCKHOLM
            )
        )
    if getattr(options, "no_summaries", False):
        qs = qs.filter(is_summary=False)
    return qs.order_by("published", "id")


_COLUMNS = (
    "id",
    "published",
    "occurred",
    "type",
    "municipality_id",
    "county_id",
    "precision",
    "is_summary",
    "url",
    "lat",
    "lon",
    "title",
)


def _records(options: argparse.Namespace) -> Iterator[dict[str, Any]]:
    categories: dict[str, str | None] = {}
    if options.partnership:
        from samtrygg.observations.queries import police_type_categories

        categories = police_type_categories(dataio.partnership_from(options.partnership))
    rows = _filtered(options).values_list(*_COLUMNS)
    for values in rows.iterator(chunk_size=5000):
        row = dict(zip(_COLUMNS, values, strict=True))
        yield {
            "id": row["id"],
            "published": _local_iso(row["published"]),
            "occurred": _local_iso(row["occurred"]),
            "type": row["type"],
            "category": categories.get(row["type"]) or None,
            "kommunkod": row["municipality_id"],
            "lan_kod": row["county_id"],
            "precision": row["precision"],
            "is_summary": row["is_summary"],
            "url": row["url"],
            "title": row["title"],
            "lat": row["lat"],
            "lon": row["lon"],
        }


@dataio.register_export(
    "police-events", _("Polisens händelser"), ("csv", "geojson", "jsonl"), _export_args
)
def export_police_events(options: argparse.Namespace, out: IO[str]) -> None:
    records = _records(options)
    if options.format == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_HEADER)
        for r in records:
            writer.writerow(
                [
                    r["id"],
                    r["published"],
                    r["occurred"],
                    r["type"],
                    r["category"] or "",
                    r["kommunkod"] or "",
                    r["lan_kod"],
                    r["precision"],
                    "true" if r["is_summary"] else "false",
                    r["url"],
                ]
            )
        return
    if options.format == "jsonl":
        for r in records:
            out.write(json.dumps(r, ensure_ascii=False) + "\n")
        return
    out.write('{"type":"FeatureCollection","features":[')
    first = True
    for r in records:
        lat, lon = r.pop("lat"), r.pop("lon")
        feature = {
            "type": "Feature",
            "id": r.pop("id"),
            "geometry": None
            if lat is None or lon is None
            else {"type": "Point", "coordinates": [lon, lat]},
            "properties": {**r, "point_note": POINT_NOTE},
        }
        out.write(("" if first else ",") + json.dumps(feature, ensure_ascii=False))
        first = False
    out.write("]}\n")


# --------------------------------------------------------------------------- Brå


def _bra_args(parser: argparse.ArgumentParser) -> None:
    dataio.files_argument(
        parser, _("Brå:s CSV per kommun (anmälda brott, eller en export ur statistikdatabasen)")
    )
    parser.add_argument(
        "--year",
        type=int,
        help=_("året som statistiken avser, när filen inte anger det (Brå:s öppna CSV)"),
    )


@dataio.register_import(
    "bra-crime", _("Brå: anmälda brott per kommun, år och brottskategori"), _bra_args
)
def import_bra_crime(options: argparse.Namespace, out: IO[str]) -> dataio.ImportOutcome:
    """Every file is read and checked before anything is written: one bad row refuses all."""
    from samtrygg.sources.bra import read_bra_file
    from samtrygg.sources.services import import_crime_statistics

    resolver = police_feed.KommunResolver()
    rows = []
    paths = [dataio.existing_file(name) for name in options.files]
    for path in paths:
        rows += read_bra_file(path, year=options.year, resolver=resolver)
    return import_crime_statistics(rows, label=", ".join(path.name for path in paths))
