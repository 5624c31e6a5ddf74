"""The county pages' server time for Västra Götaland (49 kommuner), every kommun in Samtrygg.

Each kommun of län 14 gets a partnership with EST reports, the real police events of the län
(2022–2025, through the importer, from SAMTRYGG_DATA_DIR) and Brå's statistics (the shipped
2021 files); a länssamordnare then asks for the compliance matrix, its XLSX, the comparisons
page with the map and the compliance API. Pages are requested through Django's test client
(no network), so the time is the server's. Times and the queries of one request are printed,
never asserted.

Runs on PostgreSQL (SAMTRYGG_BENCH_POSTGRES_URL with ``_county`` added to the database name,
created and dropped here) when the server answers, and on SQLite.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
LAN = "14"
RUNS = 5
REPORTS_PER_KOMMUN = 400
POSTGRES_URL = os.environ.get(
    "SAMTRYGG_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/samtrygg_bench"
)


def _county_url(url: str) -> str:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    stem = name[: -len("_bench")] if name.endswith("_bench") else name
    return urlunsplit(parts._replace(path=f"/{stem}_county_bench"))


def _time(client: Any, url: str) -> tuple[float, int, int, int]:
    from django.db import connection

    client.get(url)  # warm: the first request also fills the caches
    queries = []

    def count(execute: Any, sql: str, *args: Any) -> Any:
        queries.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(count):
        client.get(url)
    times = []
    status = size = 0
    for _ in range(RUNS):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        status, size = response.status_code, len(response.content)
    return statistics.median(times), status, size, len(queries)


def _populate(data_dir: Path) -> dict[str, Any]:
    import datetime as dt
    import random

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from samtrygg.core.models import Municipality, Organisation, Partnership, PoliceArea
    from samtrygg.county.models import CountyAssignment
    from samtrygg.observations.models import Category, Observation, Report
    from samtrygg.observations.services import ensure_defaults
    from samtrygg.sources import police_feed
    from samtrygg.sources.bra import read_bra_file
    from samtrygg.sources.police_import import import_events
    from samtrygg.sources.services import import_crime_statistics

    started = time.perf_counter()
    events = 0
    folder = data_dir / "police_events"
    resolver = police_feed.KommunResolver()
    for year in range(2022, 2026):
        path = folder / f"events_{year}.jsonl"
        if path.is_file():
            feed = (
                item
                for item in police_feed.read_feed(path, resolver)
                if isinstance(item, police_feed.FeedEvent) and item.lan_kod == LAN
            )
            events += import_events(feed, label=path.name).created
    shipped = ROOT / "samtrygg" / "sources" / "demo"
    rows = []
    for name in (
        "anmalda_brott_kommuner_2021_with_kommunkod.csv",
        "brott_mot_liv_och_halsa_per100k_kommuner_2021.csv",
    ):
        rows += read_bra_file(shipped / name)
    import_crime_statistics(rows, label="bench")

    kommuner = list(Municipality.objects.filter(county_id=LAN).order_by("code"))
    lpo = PoliceArea.objects.create(name="Benchmark", region="vast")
    Partnership.objects.bulk_create(
        Partnership(municipality=m, police_area=lpo, name=f"Samverkan {m.name}") for m in kommuner
    )
    partnerships = list(Partnership.objects.filter(municipality__county_id=LAN))
    rng = random.Random(14)
    now = timezone.now()
    for partnership in partnerships:
        ensure_defaults(partnership)
        organisation = Organisation.objects.create(
            partnership=partnership, name="Kommunen", type="kommunforvaltning"
        )
        report = Report.objects.create(
            partnership=partnership, organisation=organisation, channel="import"
        )
        category = Category.objects.filter(partnership=partnership).first()
        lat, lon = 58.0, 12.5
        Observation.objects.bulk_create(
            Observation(
                report=report,
                partnership=partnership,
                organisation=organisation,
                category=category,
                occurred_on=(now - dt.timedelta(days=rng.randrange(700))).date(),
                time_exact=True,
                occurred_at=now - dt.timedelta(days=rng.randrange(700)),
                occurred_start=now,
                occurred_end=now,
                created_at=now - dt.timedelta(days=rng.randrange(60)),
                lat=lat,
                lon=lon,
                h3_cell=0,
                location_precision="punkt",
                description="Genererad händelse",
                assessment=2,
                source="egen_iakttagelse",
            )
            for _ in range(REPORTS_PER_KOMMUN)
        )
    user = get_user_model().objects.create_user(
        username="lan@bench.example", email="lan@bench.example", password="x"
    )
    CountyAssignment.objects.create(user=user, county_id=LAN)
    return {
        "user": user,
        "kommuner": len(kommuner),
        "events": events,
        "seconds": time.perf_counter() - started,
    }


def run_one(url: str, data_dir: Path) -> int:
    """In its own process: one database, the pages timed, one line per page."""
    with tempfile.TemporaryDirectory(prefix="samtrygg-bench-") as tmp:
        os.environ["SAMTRYGG_VAR_DIR"] = tmp
        if url == "sqlite:":
            url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samtrygg.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        call_command("migrate", verbosity=0, interactive=False)
        made = _populate(data_dir)
        backend = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
        print(
            f"{backend}: {made['kommuner']} samverkan, {made['events']} polishändelser, "
            f"{made['kommuner'] * REPORTS_PER_KOMMUN} rapporter på {made['seconds']:.0f} s",
            flush=True,
        )
        client = Client()
        client.force_login(made["user"])
        ok = True
        for label, page in (
            ("efterlevnadsmatris", f"/lan/{LAN}/"),
            ("efterlevnad XLSX", f"/lan/{LAN}/efterlevnad.xlsx"),
            ("jämförelser och karta", f"/lan/{LAN}/jamforelser/"),
            ("API efterlevnad", f"/api/v1/counties/{LAN}/compliance"),
        ):
            seconds, status, size, count = _time(client, page)
            ok = ok and status == 200
            print(
                f"  {backend:<11} {label:<24} {seconds * 1000:>8.0f} ms  "
                f"{status}  {size / 1024:>6.0f} kB  {count:>4} frågor",
                flush=True,
            )
        return 0 if ok else 1


def _drop_or_create(url: str, create: bool) -> str | None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.endswith("_bench"):
        return f"the database name must end in _bench, not {name!r}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if create:
                connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as error:
        return str(error).strip().splitlines()[0]
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument(
        "--databases", default="postgresql,sqlite", help="postgresql, sqlite or both"
    )
    args = parser.parse_args()
    data_dir = Path(os.environ.get("SAMTRYGG_DATA_DIR", ROOT.parent / "shared" / "data"))
    if args.one:
        return run_one(args.one, data_dir)
    if not (data_dir / "police_events").is_dir():
        print(f"Polisens händelser saknas i {data_dir} (SAMTRYGG_DATA_DIR): hoppar över.")
        return 0
    print(f"Län {LAN} (Västra Götaland), servertid: median av {RUNS} efter en uppvärmning")
    failed = 0
    wanted = {d.strip() for d in args.databases.split(",")}
    if "postgresql" in wanted:
        url = _county_url(POSTGRES_URL)
        why_not = _drop_or_create(url, create=True)
        if why_not is None:
            try:
                failed |= subprocess.call([sys.executable, __file__, "--one", url], cwd=ROOT)
            finally:
                _drop_or_create(url, create=False)
        else:
            print(f"PostgreSQL nås inte ({why_not}): ingen tid.")
    if "sqlite" in wanted:
        failed |= subprocess.call([sys.executable, __file__, "--one", "sqlite:"], cwd=ROOT)
    return failed


if __name__ == "__main__":
    sys.exit(main())
