"""Police events in the command grammar: ``samtrygg import police-events FILE...`` and
``samtrygg export police-events --format csv|geojson|jsonl [filters]``."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
from pathlib import Path
from typing import IO, Any
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext as _

from samtrygg.core import dataio
from samtrygg.core.errors import DomainError
from samtrygg.core.progress import progress
from samtrygg.sources import police_feed
from samtrygg.sources.models import PoliceEvent, SourceRun

STOCKHOLM = ZoneInfo("Europe/Stockholm")
CSV_HEADER = ["id", "published", "occurred", "type", "category", "kommunkod", "lan_kod",
              "precision", "is_summary", "url"]


def _count_records(path: Path) -> int | None:
    """Records in a feed file, for the progress bar (lines, or array elements roughly)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(64).lstrip()
            handle.seek(0)
            if head.startswith(b"["):
                return sum(chunk.count(b'"id"') for chunk in iter(lambda: handle.read(1 << 20), b""))
            return sum(1 for line in handle if line.strip())
    except OSError:
        return None


def _import_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FIL",
                        help=_("JSON-svar från API:t, JSON Lines med händelser eller med versioner"))


@dataio.register_import("police-events", _("Polisens händelser (JSON, JSON Lines, versioner)"),
                        _import_args)
def import_police_events(options: argparse.Namespace, out: IO[str]) -> dataio.ImportOutcome:
    from samtrygg.sources.services import record_police_types
    from samtrygg.sources.police_import import import_events

    paths = [Path(name) for name in options.files]
    for path in paths:
        if not path.is_file():
            raise DomainError(_("Filen finns inte: %(f)s") % {"f": path})
    resolver = police_feed.KommunResolver()
    outcome = dataio.ImportOutcome()
    run = SourceRun.objects.create(source="police-events", kind=SourceRun.Kind.IMPORT,
                                   detail=", ".join(p.name for p in paths))
    types: set[str] = set()
    older = 0
    for path in paths:
        items = progress(police_feed.read_feed(path, resolver), total=_count_records(path),
                         label=path.name, stream=out, unit="händelser")
        result = import_events(items, label=path.name)
        outcome.created += result.created
        outcome.updated += result.updated
        outcome.unchanged += result.unchanged
        outcome.skipped += result.skipped
        outcome.problems += result.problems
        older += result.older_versions
        types |= result.types
    record_police_types(types)
    run.created, run.updated, run.unchanged, run.skipped = (
        outcome.created, outcome.updated, outcome.unchanged, outcome.skipped)
    run.finished_at = timezone.now()
    run.ok = True
    run.detail += "\n" + _("%(n)d tidigare versioner sparade.") % {"n": older}
    if outcome.problems:
        run.detail += "\n" + "\n".join(outcome.problems[:200])
    run.save()
    if older:
        out.write(_("%(n)d tidigare versioner sparade.") % {"n": older} + "\n")
    return outcome


def _export_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kommun", metavar="KOD", help=_("bara kommunen med den fyrsiffriga koden"))
    parser.add_argument("--lan", metavar="KOD", help=_("bara länet med den tvåsiffriga koden"))
    parser.add_argument("--from", dest="date_from", metavar="DATUM",
                        help=_("publicerade från och med datum (ÅÅÅÅ-MM-DD)"))
    parser.add_argument("--to", dest="date_to", metavar="DATUM",
                        help=_("publicerade till och med datum (ÅÅÅÅ-MM-DD)"))
    parser.add_argument("--partnership", metavar="KOMMUNKOD",
                        help=_("fyll i kategori enligt samverkans typtabell"))
    parser.add_argument("--include-summaries", action="store_true",
                        help=_("ta med sammanfattningar (standard: ja i export)"))


def _date(value: str | None, label: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise DomainError(_("Ogiltigt datum för %(l)s: %(v)s (skriv ÅÅÅÅ-MM-DD).")
                          % {"l": label, "v": value}) from exc


def _local_iso(value: dt.datetime | None) -> str:
    return value.astimezone(STOCKHOLM).isoformat() if value else ""


def _filtered(options: argparse.Namespace) -> Any:
    from samtrygg.core.models import County, Municipality

    qs = PoliceEvent.objects.all()
    if options.kommun:
        if not Municipality.objects.filter(code=options.kommun).exists():
            raise DomainError(_("Okänd kommunkod: %(c)s.") % {"c": options.kommun})
        qs = qs.filter(municipality_id=options.kommun)
    if options.lan:
        if not County.objects.filter(code=options.lan).exists():
            raise DomainError(_("Okänd länskod: %(c)s.") % {"c": options.lan})
        qs = qs.filter(county_id=options.lan)
    start = _date(options.date_from, "--from")
    end = _date(options.date_to, "--to")
    if start:
        qs = qs.filter(published__gte=dt.datetime.combine(start, dt.time.min, tzinfo=STOCKHOLM))
    if end:
        qs = qs.filter(published__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min,
                                                         tzinfo=STOCKHOLM))
    return qs.order_by("published", "id")


@dataio.register_export("police-events", _("Polisens händelser"), ("csv", "geojson", "jsonl"),
                        _export_args)
def export_police_events(options: argparse.Namespace, out: IO[str]) -> None:
    categories: dict[str, str | None] = {}
    if options.partnership:
        from samtrygg.observations.queries import police_type_categories

        categories = police_type_categories(dataio.partnership_from(options.partnership))
    rows = _filtered(options).values_list(
        "id", "published", "occurred", "type", "municipality_id", "county_id", "precision",
        "is_summary", "url", "lat", "lon", "title")
    if options.format == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_HEADER)
        for (event_id, published, occurred, etype, kommun, lan, precision, summary, url,
             _lat, _lon, _title) in rows.iterator(chunk_size=5000):
            writer.writerow([event_id, _local_iso(published), _local_iso(occurred), etype,
                             categories.get(etype) or "", kommun or "", lan, precision,
                             "true" if summary else "false", url])
        return
    if options.format == "jsonl":
        for (event_id, published, occurred, etype, kommun, lan, precision, summary, url,
             lat, lon, title) in rows.iterator(chunk_size=5000):
            out.write(json.dumps({
                "id": event_id, "published": _local_iso(published), "occurred": _local_iso(occurred),
                "type": etype, "category": categories.get(etype), "kommunkod": kommun,
                "lan_kod": lan, "precision": precision, "is_summary": summary, "url": url,
                "title": title, "lat": lat, "lon": lon}, ensure_ascii=False) + "\n")
        return
    out.write('{"type":"FeatureCollection","features":[')
    first = True
    for (event_id, published, occurred, etype, kommun, lan, precision, summary, url,
         lat, lon, title) in rows.iterator(chunk_size=5000):
        feature = {
            "type": "Feature", "id": event_id,
            "geometry": {"type": "Point", "coordinates": [lon, lat]} if lat is not None else None,
            "properties": {
                "published": _local_iso(published), "occurred": _local_iso(occurred),
                "type": etype, "category": categories.get(etype), "kommunkod": kommun,
                "lan_kod": lan, "precision": precision, "is_summary": summary, "url": url,
                "title": title,
                "point_note": "kommunens eller länets mittpunkt, inte platsen för händelsen",
            },
        }
        out.write(("" if first else ",") + json.dumps(feature, ensure_ascii=False))
        first = False
    out.write("]}\n")
