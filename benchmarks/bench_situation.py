"""The lägesbild page's server time: on the demo data (Orsa), and on a partnership with a year
of 100 000 observations (Gislaved, synthetic). Times are printed, never asserted.

The page is requested through Django's test client (no network), so the time is the server's.
The first request after a change computes the picture (loading the arrays, the analysis
engine, the charts) and keeps it in the shared cache (``situation.pictures.cached_snapshot``);
the requests after it, until the next change, take it from there and render the template.
Both are printed: the first request, and the median of the next ones.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
N_YEAR = 100_000
RUNS = 3


def _time(client: object, url: str) -> tuple[float, float, int]:
    """(the first request, the median of the next ``RUNS``, the last status)."""
    from samtrygg.core.generations import data_changed

    data_changed()  # as after a change: the first request computes the picture
    times = []
    status = 0
    for _ in range(RUNS + 1):
        started = time.perf_counter()
        response = client.get(url)  # type: ignore[attr-defined]
        times.append(time.perf_counter() - started)
        status = response.status_code
    return times[0], statistics.median(times[1:]), status


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

        from samtrygg.core.models import Partnership, User

        call_command("migrate", verbosity=0, interactive=False)
        call_command("loaddemo", verbosity=0)
        rows: list[tuple[str, str, float, float, int]] = []
        client = Client()
        client.force_login(User.objects.get(email="samordnare.orsa@demo.example"))
        for label, url in (
            ("demo, denna vecka", "/lagesbild/"),
            ("demo, detta år", f"/lagesbild/?period={dt.date.today().year}"),
        ):
            rows.append(("Orsa (demo)", label, *_time(client, url)))

        gislaved = Partnership.objects.get(municipality_id="0662")
        year = dt.date.today().year - 1
        started = time.perf_counter()
        n = _synthetic_year(gislaved, year)
        took = time.perf_counter() - started
        print(f"{n} syntetiska händelser för {year} skrevs på {took:.1f} s")
        client = Client()
        client.force_login(User.objects.get(email="samordnare.gislaved@demo.example"))
        for label, url in (
            ("vecka 47", f"/lagesbild/?period={year}-W47"),
            ("tertial 3", f"/lagesbild/?period={year}-T3"),
            ("helår", f"/lagesbild/?period={year}"),
        ):
            rows.append((f"Gislaved ({N_YEAR} händelser/år)", label, *_time(client, url)))

        print(
            f"{'samverkan':<32} {'period':<20} {'första (beräknar)':>18} "
            f"{f'sedan (median av {RUNS})':>20} {'status':>7}"
        )
        for who, label, first, kept, status in rows:
            print(
                f"{who:<32} {label:<20} {first * 1000:>15.0f} ms {kept * 1000:>17.0f} ms "
                f"{status:>7}"
            )
        return 0 if all(r[4] == 200 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
