"""Real public data for the demo: the police events of the demo partnerships' län and Brå's
statistics, read from SAMTRYGG_DATA_DIR (``../shared/data``) when it is there.

These are real events and figures, not invented demo records: the police events pages of the
demo show what the police actually published for Dalarna and Jönköpings län. Without the data
folder the demo reads the subset shipped in ``samtrygg/sources/demo/`` (the events of those two
län in 2024–2025 and Brå's 2021 files; see docs/data-sources.md), so a fresh clone anywhere has
them. Idempotent: a län that already has events, and statistics that are already there, are
not read again.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.utils import timezone

from samtrygg.core.demo import register_demo_loader
from samtrygg.sources import police_feed
from samtrygg.sources.models import CrimeStatistic, PoliceEvent, SourceRun

#: A small real subset for a demo without SAMTRYGG_DATA_DIR: the police events of Dalarnas and
#: Jönköpings län (the demo's Orsa and Gislaved) in 2024–2025, and Brå's 2021 kommun files.
SHIPPED = Path(__file__).resolve().parent / "demo"
SHIPPED_LAN = {"20", "06"}


def _in_lan(items: Iterator[Any], lan: set[str]) -> Iterator[Any]:
    for item in items:
        if isinstance(item, police_feed.FeedEvent) and item.lan_kod in lan:
            yield item


@register_demo_loader
def load_sources_demo(partnerships: list[Any], stdout: IO[str]) -> None:
    from samtrygg.sources.police_import import import_events
    from samtrygg.sources.services import import_crime_statistics, record_police_types

    folder = Path(settings.SAMTRYGG_DATA_DIR)
    lan = {p.municipality.county_id for p in partnerships}
    missing = {code for code in lan if not PoliceEvent.objects.filter(county_id=code).exists()}
    events = folder / "police_events"
    if missing and not events.is_dir() and missing <= SHIPPED_LAN:
        events = SHIPPED
    if missing and events.is_dir():
        files = [
            *sorted(events.glob("events_20*.jsonl")),
            events / "event_revisions.jsonl",
            *sorted(events.glob("police_events_*.jsonl.gz")),
        ]
        resolver = police_feed.KommunResolver()
        created = 0
        types: set[str] = set()
        for path in (p for p in files if p.is_file()):
            result = import_events(
                _in_lan(police_feed.read_feed(path, resolver), missing), label=path.name
            )
            created += result.created
            types |= result.types
        record_police_types(types)
        SourceRun.objects.create(
            source="police-events",
            kind=SourceRun.Kind.IMPORT,
            finished_at=timezone.now(),
            created=created,
            detail=f"Demo: polisens händelser i län {', '.join(sorted(missing))} från {events}",
        )
        stdout.write(f"Polisens händelser: {created} inlästa från {events}\n")
    elif missing:
        stdout.write(
            f"Polisens händelser: {events} finns inte; importera med "
            "samtrygg import police-events FIL\n"
        )
    bra = folder / "bra_crime"
    if not bra.is_dir():
        bra = SHIPPED
    if not CrimeStatistic.objects.exists() and bra.is_dir():
        from samtrygg.sources.bra import read_bra_file

        rows = []
        for name in (
            "anmalda_brott_kommuner_2021_with_kommunkod.csv",
            "brott_mot_liv_och_halsa_per100k_kommuner_2021.csv",
        ):
            if (bra / name).is_file():
                rows += read_bra_file(bra / name)
        if rows:
            statistics = import_crime_statistics(rows, label=f"Demo: Brå från {bra}")
            stdout.write(f"Brå: {statistics.created} värden inlästa\n")
