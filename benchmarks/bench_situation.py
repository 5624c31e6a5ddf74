"""The lägesbild page's server time: on the demo data (Orsa), and on a partnership with a year
of 100 000 observations (Gislaved, synthetic). Times are printed, never asserted.

The page is requested through Django's test client (no network), so the time is the server's.
Before each page a report is filed through the service, as a user files one: its commit
outdates the kept pictures and builds the year's report columns again (``observations.columns``),
and its time is printed. The first request after it computes the picture (reading the kept
columns and the police events, the analysis engine, the charts) and keeps it in the shared
cache (``situation.pictures.cached_snapshot``); the requests after it, until the next change,
take it from there and render the template. Each row is the median of three rounds of a
change, the first request after it and the one after that.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
N_YEAR = 100_000
RUNS = 3


def _time(client: object, url: str, change: Callable[[], float]) -> tuple[float, ...]:
    """(the change, the first request after it, the request after that, the last status):
    each the median of ``RUNS`` rounds of a change and two requests."""
    changes, firsts, kept = [], [], []
    status = 0
    for _ in range(RUNS):
        changes.append(change())
        for times in (firsts, kept):
            started = time.perf_counter()
            response = client.get(url)  # type: ignore[attr-defined]
            times.append(time.perf_counter() - started)
            status = response.status_code
    return (
        statistics.median(changes),
        statistics.median(firsts),
        statistics.median(kept),
        status,
    )


def _new_report(email: str, partnership: Any, day: dt.date) -> Callable[[], float]:
    """A change as users make it: one report filed through the service, committed. The commit
    outdates the kept pictures and builds the year's report columns again; its seconds."""

    def file() -> float:
        from samtrygg.core.models import Area, User
        from samtrygg.core.permissions import actor_for
        from samtrygg.observations.services import IncidentInput, submit_report

        actor = actor_for(User.objects.get(email=email), partnership)
        ring = Area.objects.filter(partnership=partnership).first().geometry["coordinates"][0]
        incident = IncidentInput(
            category="klotter",
            occurred_on=day.isoformat(),
            time_band="kvall",
            lat=sum(p[1] for p in ring[:-1]) / (len(ring) - 1),
            lon=sum(p[0] for p in ring[:-1]) / (len(ring) - 1),
            description="Ny rapport under mätningen",
            assessment=2,
        )
        started = time.perf_counter()
        submit_report(actor, [incident])
        return time.perf_counter() - started

    return file


def _synthetic_year(partnership: object, year: int) -> int:
    from samtrygg.core import geo
    from samtrygg.core.models import Area, Organisation
    from samtrygg.observations.models import Category, Observation, Report
    from samtrygg.observations.services import ensure_defaults

    ensure_defaults(partnership)  # type: ignore[arg-type]
    categories = list(Category.objects.filter(partnership=partnership))
    organisation = Organisation.objects.filter(partnership=partnership).first()
    areas = list(Area.objects.filter(partnership=partnership))
    report = Report.objects.create(
        partnership=partnership, organisation=organisation, channel="import"
    )
    rng = random.Random(47)
    start = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
    rows = []
    for i in range(N_YEAR):
        area = areas[i % len(areas)]
        ring = area.geometry["coordinates"][0]
        lon = sum(p[0] for p in ring[:-1]) / (len(ring) - 1) + rng.uniform(-0.006, 0.006)
        lat = sum(p[1] for p in ring[:-1]) / (len(ring) - 1) + rng.uniform(-0.003, 0.003)
        when = start + dt.timedelta(seconds=rng.randrange(365 * 86400))
        rows.append(
            Observation(
                report=report,
                partnership=partnership,
                organisation=organisation,
                category=rng.choice(categories),
                occurred_on=when.date(),
                time_exact=True,
                occurred_at=when,
                occurred_start=when,
                occurred_end=when,
                lat=lat,
                lon=lon,
                area_id=area.pk,
                h3_cell=geo.h3_cell(lat, lon),
                location_precision="punkt",
                description="Syntetisk händelse",
                assessment=2,
                source="egen_iakttagelse",
            )
        )
    Observation.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


POSTGRES_URL = os.environ.get(
    "SAMTRYGG_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/samtrygg_bench"
)


def main() -> int:
    """On PostgreSQL (when the server answers) and on SQLite, each in a process of its own;
    ``--database-url`` runs one: ``sqlite:`` (a temporary file) or ``postgres://…/x_bench``
    (the database is created anew and dropped after)."""
    import argparse
    import subprocess

    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="")
    url = parser.parse_args().database_url
    sys.path.insert(0, str(ROOT / "benchmarks"))
    if not url:
        from bench_analysis import postgres_reachable

        failed = 0
        why_not = postgres_reachable(POSTGRES_URL)
        if why_not is None:
            print(f"== PostgreSQL ({POSTGRES_URL})", flush=True)
            failed |= subprocess.call([sys.executable, __file__, "--database-url", POSTGRES_URL])
        else:
            print(f"PostgreSQL nås inte ({why_not}): ingen tid.")
        print("== SQLite", flush=True)
        failed |= subprocess.call([sys.executable, __file__, "--database-url", "sqlite:"])
        return failed
    if url == "sqlite:":
        return _run("")
    from picture_db import fresh_postgres

    drop = fresh_postgres(url)
    try:
        return _run(url)
    finally:
        drop()


def _run(url: str) -> int:
    with tempfile.TemporaryDirectory(prefix="samtrygg-bench-") as tmp:
        os.environ["SAMTRYGG_VAR_DIR"] = tmp
        os.environ["DATABASE_URL"] = url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samtrygg.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command
        from django.test import Client

        from samtrygg.core.generations import data_changed
        from samtrygg.core.models import Partnership, User

        call_command("migrate", verbosity=0, interactive=False)
        call_command("loaddemo", verbosity=0)
        rows: list[tuple[str, str, float, float, int]] = []
        client = Client()
        client.force_login(User.objects.get(email="samordnare.orsa@demo.example"))
        # A server's process has served pages before: the first one in this process loads
        # templates and code that every later one finds ready, so it is not timed.
        client.get(f"/lagesbild/?period={dt.date.today().year - 1}")
        orsa = Partnership.objects.get(municipality_id="2034")
        change = _new_report("samordnare.orsa@demo.example", orsa, dt.date.today())
        for label, url in (
            ("demo, denna vecka", "/lagesbild/"),
            ("demo, detta år", f"/lagesbild/?period={dt.date.today().year}"),
        ):
            rows.append(("Orsa (demo)", label, *_time(client, url, change)))

        gislaved = Partnership.objects.get(municipality_id="0662")
        year = dt.date.today().year - 1
        started = time.perf_counter()
        n = _synthetic_year(gislaved, year)
        took = time.perf_counter() - started
        started = time.perf_counter()
        # As an import does after writing in bulk: its commit builds the year's columns.
        data_changed(gislaved.pk)
        print(
            f"{n} syntetiska händelser för {year} skrevs på {took:.1f} s; årets kolumner "
            f"byggdes på {time.perf_counter() - started:.2f} s"
        )
        change = _new_report("samordnare.gislaved@demo.example", gislaved, dt.date(year, 11, 20))
        client = Client()
        client.force_login(User.objects.get(email="samordnare.gislaved@demo.example"))
        for label, url in (
            ("vecka 47", f"/lagesbild/?period={year}-W47"),
            ("tertial 3", f"/lagesbild/?period={year}-T3"),
            ("helår", f"/lagesbild/?period={year}"),
        ):
            rows.append((f"Gislaved ({N_YEAR} händelser/år)", label, *_time(client, url, change)))

        print(
            f"{'samverkan':<32} {'period':<18} {'ny rapport':>11} {'första sidan':>13} "
            f"{'nästa sida':>20} {'status':>7}"
        )
        for who, label, changed, first, kept, status in rows:
            print(
                f"{who:<32} {label:<18} {changed * 1000:>8.0f} ms {first * 1000:>10.0f} ms "
                f"{kept * 1000:>17.0f} ms {status:>7}"
            )
        return 0 if all(r[-1] == 200 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
