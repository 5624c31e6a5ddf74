"""Benchmark: import every archived police event into a fresh SQLite database, then again.

Reads events_2022..2025.jsonl, event_revisions.jsonl and the API snapshot from
SAMTRYGG_DATA_DIR (default ../shared/data), imports them with the same code as
``samtrygg import police-events`` into a temporary database, and prints a table. The rerun
must change nothing. Goal: the first import under 20 s on a 2-core machine.

Run: ``.venv/bin/python benchmarks/bench_sources.py`` (or ``make bench``).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

GOAL_SECONDS = 20.0
ROOT = Path(__file__).resolve().parents[1]


def _data_dir() -> Path:
    configured = os.environ.get("SAMTRYGG_DATA_DIR")
    return Path(configured) if configured else ROOT.parent / "shared" / "data"


def _files(folder: Path) -> list[Path]:
    events = [folder / f"events_{year}.jsonl" for year in range(2022, 2026)]
    snapshots = sorted(folder.glob("api_snapshot_*.json"))
    return [*events, folder / "event_revisions.jsonl", *snapshots]


def main() -> int:
    folder = _data_dir() / "police_events"
    files = _files(folder)
    missing = [str(path) for path in files if not path.is_file()]
    if missing:
        print(f"bench_sources: hoppar över, data saknas: {', '.join(missing)}")
        return 0
    with tempfile.TemporaryDirectory(prefix="samtrygg-bench-") as tmp:
        os.environ["SAMTRYGG_VAR_DIR"] = tmp
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samtrygg.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)

        from samtrygg.sources import police_feed
        from samtrygg.sources.data_kinds import import_police_events

        rows: list[tuple[str, int, float, float, str]] = []
        # The reference: reading and placing the events without storing them.
        started, cpu_started = time.perf_counter(), time.process_time()
        resolver = police_feed.KommunResolver()
        parsed = sum(1 for path in files for _item in police_feed.read_feed(path, resolver))
        rows.append(
            (
                "tolka",
                parsed,
                time.perf_counter() - started,
                time.process_time() - cpu_started,
                "bara läsning och kommun (referens, ingen databas)",
            )
        )
        for run in ("import", "rerun"):
            options = argparse.Namespace(files=[str(path) for path in files])
            stream = sys.stderr if run == "import" else io.StringIO()
            started, cpu_started = time.perf_counter(), time.process_time()
            outcome = import_police_events(options, stream)
            seconds = time.perf_counter() - started
            cpu = time.process_time() - cpu_started
            records = outcome.created + outcome.updated + outcome.unchanged + outcome.skipped
            records += outcome.older_versions
            rows.append((run, records, seconds, cpu, outcome.summary()))
            if run == "rerun" and (outcome.created or outcome.updated or outcome.older_versions):
                print(f"FEL: omkörningen ändrade något: {outcome.summary()}")
                return 1
        from samtrygg.sources.models import PoliceEvent, PoliceEventVersion

        events = PoliceEvent.objects.count()
        versions = PoliceEventVersion.objects.count()

    print()
    print(f"{'körning':<8} {'poster':>8} {'sekunder':>9} {'poster/s':>9} {'cpu-s':>6}  utfall")
    for run, records, seconds, cpu, summary in rows:
        print(
            f"{run:<8} {records:>8} {seconds:>9.1f} {records / seconds:>9.0f} {cpu:>6.1f}  "
            f"{summary}"
        )
    print(f"Lagrat: {events} händelser, {versions} tidigare versioner.")
    first = next(seconds for run, _n, seconds, _cpu, _s in rows if run == "import")
    verdict = "inom" if first < GOAL_SECONDS else "ÖVER"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"Första importen: {first:.1f} s ({verdict} målet {GOAL_SECONDS:.0f} s); "
        f"maskinens last under körningen: {load:.1f} på {os.cpu_count()} kärnor."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
