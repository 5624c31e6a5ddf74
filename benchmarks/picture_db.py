"""The database half of ``bench_analysis``: store the benchmark's records, time loading them.

Run by ``bench_analysis.py`` once per database, in its own process (Django is set up once per
process):

    python benchmarks/picture_db.py --database-url URL --records records.npz [--police-dir DIR]

It migrates a fresh database, imports the real police events (the same code as
``samtrygg import police-events``), stores the generated reports as observations of the
partnerships of Falun (kommun-year, with delområden) and of all 290 kommuner (Sweden), and
times the loaders that give the analysis engine its arrays:

* kommun-year: ``samtrygg.situation.compute.load`` — what the lägesbild page calls;
* sweden-4y: the same reader of the reports (``observations.columns.read``) over every
  partnership, with the kommun as area, and the police events of all kommuner.

Each is timed twice: first from the reports (as a year is read whose kept columns are not
built or not current), then, after ``observations.columns.build_outdated``, from the kept
columns, as the application reads them.

It checks that the observations read back equal the records written (times to the second,
cells, categories, areas) and prints one JSON object as its last line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
YEAR = 2025
LOAD_REPEATS = 5


def log(message: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- a fresh database -----------------------------------------------------------------------


def fresh_postgres(url: str) -> Callable[[], None]:
    """Create the database of ``url`` anew; returns a function that drops it.

    Only a database whose name ends in ``_bench`` is dropped and created: the URL comes from
    the environment, and a mistyped one must never empty a real database.
    """
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.endswith("_bench"):
        raise SystemExit(f"picture_db.py: the database name must end in _bench, not {name!r}")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        try:
            from django.db import connections

            connections.close_all()
        except Exception as error:  # the drop below must run regardless
            log(f"closing the connections: {error}")
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return drop


# --- writing the records ----------------------------------------------------------------------


def utc_texts(seconds: np.ndarray) -> list[str]:
    """Epoch seconds as the UTC text Django stores on SQLite (``2025-01-01 12:00:00``)."""
    text = np.datetime_as_string(seconds.astype("datetime64[s]"), unit="s")
    return [t.replace("T", " ") for t in text.tolist()]


def write_observations(template_id: int, columns: dict[str, np.ndarray | list[Any]]) -> int:
    """Copies of the template observation with ``columns`` replaced, in one statement batch.

    The template is a row written through the ORM, so every column this benchmark does not
    vary holds what the application writes; only the varying columns come from the arrays.
    """
    from django.db import connection, transaction

    from samtrygg.observations.models import Observation

    fields = [f for f in Observation._meta.concrete_fields if not f.primary_key]
    names = [f.attname for f in fields]
    quoted = [connection.ops.quote_name(f.column) for f in fields]
    table = connection.ops.quote_name(Observation._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(quoted)} FROM {table} WHERE id = %s",
            [template_id],
        )
        template = cursor.fetchone()
    n = len(next(iter(columns.values())))
    varying = {name: list(values) for name, values in columns.items()}
    streams = [
        varying[name] if name in varying else [template[i]] * n for i, name in enumerate(names)
    ]
    rows: Iterator[tuple[Any, ...]] = zip(*streams, strict=True)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(quoted)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(names))
            cursor.executemany(
                f"INSERT INTO {table} ({', '.join(quoted)}) VALUES ({placeholders})",
                rows,
            )
    return n


def store(records: Any, police_dir: Path | None) -> dict[str, Any]:
    """Partnerships, delområden, police events and observations; returns what the loaders need."""
    from django.db import connection
    from h3.api import basic_int as h3i

    from samtrygg.core.models import Area, Municipality, Organisation, Partnership, PoliceArea
    from samtrygg.observations.models import Category, Observation, Report
    from samtrygg.observations.services import ensure_defaults

    if police_dir is not None:
        from samtrygg.sources.data_kinds import import_police_events

        files = [police_dir / f"events_{y}.jsonl" for y in range(2022, 2026)]
        started = time.perf_counter()
        with open(os.devnull, "w") as quiet:
            import_police_events(argparse.Namespace(files=[str(f) for f in files]), quiet)
        log(f"police events imported in {time.perf_counter() - started:.0f} s")

    codes = [str(c) for c in records["kommun_codes"].tolist()]
    lpo = PoliceArea.objects.create(name="Benchmark", region="mitt")
    municipalities = {m.code: m for m in Municipality.objects.filter(code__in=codes)}
    Partnership.objects.bulk_create(
        Partnership(municipality=municipalities[c], police_area=lpo, name=f"Samverkan {c}")
        for c in codes
    )
    partnerships = {p.municipality_id: p for p in Partnership.objects.all()}
    ordered = [partnerships[c] for c in codes]
    for partnership in ordered:
        ensure_defaults(partnership)
    Organisation.objects.bulk_create(
        Organisation(partnership=p, name="Kommunen", type="kommunforvaltning") for p in ordered
    )
    organisation = {o.partnership_id: o.pk for o in Organisation.objects.all()}
    Report.objects.bulk_create(
        Report(partnership=p, organisation_id=organisation[p.pk], channel="import") for p in ordered
    )
    report = {r.partnership_id: r.pk for r in Report.objects.all()}
    slugs = [
        slug
        for slug, _name in Category.objects.filter(partnership=ordered[0])
        .order_by("sort_order", "name", "id")
        .values_list("slug", "name")
    ]
    category = {
        (partnership_id, slug): pk
        for partnership_id, slug, pk in Category.objects.values_list("partnership_id", "slug", "id")
    }

    falun = partnerships["2080"]
    parents = records["ky_area_parents"].tolist()
    Area.objects.bulk_create(
        Area(
            partnership=falun,
            name=f"Delområde {i + 1:03d}",
            geometry={
                "type": "Polygon",
                "coordinates": [
                    [
                        [lng, lat]
                        for lat, lng in [*h3i.cell_to_boundary(c), h3i.cell_to_boundary(c)[0]]
                    ]
                ],
            },
        )
        for i, c in enumerate(parents)
    )
    area_ids = list(
        Area.objects.filter(partnership=falun).order_by("name", "id").values_list("id", flat=True)
    )

    # the template row, written through the ORM
    first = Observation.objects.create(
        report_id=report[falun.pk],
        partnership=falun,
        organisation_id=organisation[falun.pk],
        category_id=category[(falun.pk, slugs[0])],
        occurred_on=dt.date(YEAR, 1, 1),
        time_exact=True,
        occurred_at=dt.datetime(YEAR, 1, 1, tzinfo=dt.UTC),
        occurred_start=dt.datetime(YEAR, 1, 1, tzinfo=dt.UTC),
        occurred_end=dt.datetime(YEAR, 1, 1, tzinfo=dt.UTC),
        lat=60.6,
        lon=15.6,
        h3_cell=0,
        location_precision="punkt",
        description="Genererad händelse för prestandamätning",
        assessment=2,
        source="egen_iakttagelse",
    )
    template_id = first.pk

    def columns(
        prefix: str, partnership_of: np.ndarray, area_of: list[int | None]
    ) -> dict[str, Any]:
        times = records[f"{prefix}_times"]
        texts: list[Any]
        if connection.vendor == "sqlite":
            texts = utc_texts(times)
            days = [t[:10] for t in texts]
        else:
            texts = [t + "+00" for t in utc_texts(times)]
            days = [t[:10] for t in texts]
        pk = [ordered[i].pk for i in partnership_of.tolist()]
        return {
            "partnership_id": pk,
            "report_id": [report[p] for p in pk],
            "organisation_id": [organisation[p] for p in pk],
            "category_id": [
                category[(p, slugs[c % len(slugs)])]
                for p, c in zip(pk, records[f"{prefix}_categories"].tolist(), strict=True)
            ],
            "occurred_on": days,
            "occurred_at": texts,
            "occurred_start": texts,
            "occurred_end": texts,
            "lat": records[f"{prefix}_lat"].tolist(),
            "lon": records[f"{prefix}_lng"].tolist(),
            "area_id": area_of,
            "h3_cell": records[f"{prefix}_cells"].tolist(),
        }

    started = time.perf_counter()
    falun_index = codes.index("2080")
    ky_areas = records["ky_areas"].tolist()
    written = write_observations(
        template_id,
        columns(
            "ky",
            np.full(len(ky_areas), falun_index),
            [area_ids[a] if a >= 0 else None for a in ky_areas],
        ),
    )
    sw_kommun = records["sw_kommun"]
    written += write_observations(template_id, columns("sw", sw_kommun, [None] * sw_kommun.size))
    Observation.objects.filter(pk=template_id).delete()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    write_seconds = time.perf_counter() - started
    log(f"{written} observations written in {write_seconds:.0f} s")
    return {
        "falun": falun,
        "ordered": ordered,
        "slugs": slugs,
        "written": written,
        "write_seconds": write_seconds,
    }


# --- the loaders ------------------------------------------------------------------------------


def load_kommun_year(stored: dict[str, Any]) -> dict[str, np.ndarray]:
    from samtrygg.analysis.picture import Period
    from samtrygg.situation import compute

    loaded = compute.load(stored["falun"], Period.year(YEAR), compute.Filters())
    return {
        "times": loaded.times,
        "categories": loaded.categories,
        "areas": loaded.areas,
        "cells": loaded.cells,
        "police": loaded.sources == loaded.source_keys.index(compute.POLICE),
    }


def load_sweden(stored: dict[str, Any]) -> dict[str, np.ndarray]:
    """Every partnership's observations with its kommun as area, and every kommun's police
    events, over the window of a year picture with 12 tertials of emerging hot spots."""
    from django.db.models import Case, IntegerField, Value, When
    from django.db.models.functions import Cast, Coalesce

    from samtrygg.analysis.picture import Period, PictureSettings
    from samtrygg.core.columnar import int_columns
    from samtrygg.core.dbfunctions import EpochSeconds
    from samtrygg.observations import columns
    from samtrygg.observations.models import Category, PoliceTypeMapping, Source
    from samtrygg.situation import compute
    from samtrygg.sources.models import PoliceEvent

    period = Period.year(YEAR)
    settings = PictureSettings(trend_unit="tertial", trend_steps=12)
    start = dt.datetime.fromtimestamp(compute.window_start(period, settings), tz=dt.UTC)
    end = dt.datetime.fromtimestamp(period.end, tz=dt.UTC)
    ordered = stored["ordered"]
    slugs: list[str] = stored["slugs"]
    source_keys = [*Source.values, compute.POLICE]
    reports = columns.read([p.pk for p in ordered], start, end, source_keys)
    times, category_ids, cells = reports.times, reports.category_ids, reports.cells
    partnership_ids = reports.partnership_ids
    known = Category.objects.values_list("id", "slug")
    category_pks = [pk for pk, _slug in known]
    slug_code = {slug: i for i, slug in enumerate(slugs)}
    category_codes = [slug_code.get(slug, -1) for _pk, slug in known]
    categories = np.asarray(category_codes, dtype=np.int32)[
        compute.codes_of(category_ids, category_pks)
    ]
    areas = compute.codes_of(partnership_ids, [p.pk for p in ordered])

    first = ordered[0]
    mapping = dict(
        PoliceTypeMapping.objects.filter(partnership=first, category__isnull=False).values_list(
            "police_type", "category__slug"
        )
    )
    # The police events as integer columns too: the kommunkod as a number, the type as its
    # category's code (by the first partnership's mapping, as every partnership has the same).
    events = int_columns(
        PoliceEvent.objects.filter(
            is_summary=False, published__gte=start, published__lt=end, type__in=list(mapping)
        )
        .order_by()
        .values_list(
            EpochSeconds(Coalesce("occurred", "published")),
            Coalesce(Cast("municipality_id", IntegerField()), Value(-1)),
            Case(
                *(When(type=kind, then=Value(slug_code[slug])) for kind, slug in mapping.items()),
                default=Value(-1),
                output_field=IntegerField(),
            ),
        ),
        3,
    )
    kommun_numbers = [int(p.municipality_id) for p in ordered]
    k = events.shape[0]
    return {
        "times": np.concatenate([times, events[:, 0]]),
        "categories": np.concatenate([categories, events[:, 2].astype(np.int32)]),
        "areas": np.concatenate([areas, compute.codes_of(events[:, 1], kommun_numbers)]),
        "cells": np.concatenate([cells, np.zeros(k, dtype=np.int64)]),
        "police": np.concatenate([np.zeros(times.size, bool), np.ones(k, bool)]),
    }


def same_records(loaded: dict[str, np.ndarray], expected: dict[str, np.ndarray]) -> bool:
    """The observations read back are the records written, as multisets (order aside)."""
    obs = ~loaded["police"]
    if int(obs.sum()) != expected["times"].size:
        return False
    keys = ("cells", "areas", "categories", "times")
    written = np.lexsort(tuple(expected[k] for k in keys))
    read = np.lexsort(tuple(loaded[k][obs] for k in keys))
    return all(np.array_equal(expected[k][written], loaded[k][obs][read]) for k in keys)


def expected_records(records: Any, n_slugs: int) -> dict[str, dict[str, np.ndarray]]:
    """What each loader must return of the observations: kommun-year the Falun records with
    their delområden, Sweden the Falun records and the others' with their kommun as area."""
    falun = {
        "times": records["ky_times"],
        "cells": records["ky_cells"],
        "categories": records["ky_categories"] % n_slugs,
        "areas": records["ky_areas"],
    }
    falun_index = [str(c) for c in records["kommun_codes"].tolist()].index("2080")
    sweden = {
        "times": np.concatenate([records["ky_times"], records["sw_times"]]),
        "cells": np.concatenate([records["ky_cells"], records["sw_cells"]]),
        "categories": np.concatenate([records["ky_categories"], records["sw_categories"]])
        % n_slugs,
        "areas": np.concatenate(
            [np.full(records["ky_times"].size, falun_index), records["sw_kommun"]]
        ),
    }
    return {"kommun-year": falun, "sweden-4y": sweden}


def served_kommun_year(stored: dict[str, Any]) -> dict[str, float]:
    """The kommun-year lägesbild as the application serves it
    (``situation.pictures.cached_snapshot``): the first request after a change computes it
    (loading, engine, context, charts) and keeps it; the next ones read what was kept."""
    from samtrygg.analysis.picture import Period
    from samtrygg.core.generations import data_changed
    from samtrygg.situation.pictures import cached_snapshot

    def serve() -> object:
        return cached_snapshot(stored["falun"], Period.year(YEAR))

    firsts = []
    for _ in range(3):
        data_changed()
        started = time.perf_counter()
        serve()
        firsts.append(time.perf_counter() - started)
    return {"first_seconds": statistics.median(firsts), "kept_seconds": median_seconds(serve)}


def median_seconds(func: Callable[[], object]) -> float:
    func()  # warm: the first read also fills the database's page cache
    times = []
    for _ in range(LOAD_REPEATS):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--database-url", required=True, help="sqlite: (a temporary file) or postgres://…"
    )
    parser.add_argument("--records", required=True, type=Path)
    parser.add_argument("--police-dir", type=Path)
    args = parser.parse_args()
    records = np.load(args.records)

    with tempfile.TemporaryDirectory(prefix="samtrygg-bench-") as tmp:
        drop: Callable[[], None] | None = None
        url = args.database_url
        if url == "sqlite:":
            url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        else:
            drop = fresh_postgres(url)
        os.environ["SAMTRYGG_VAR_DIR"] = tmp
        os.environ["DATABASE_URL"] = url
        os.environ["DJANGO_SETTINGS_MODULE"] = "samtrygg.settings"
        sys.path.insert(0, str(ROOT))
        try:
            import django

            django.setup()
            from django.core.management import call_command
            from django.db import connection

            call_command("migrate", verbosity=0, interactive=False)
            stored = store(records, args.police_dir)
            result: dict[str, Any] = {
                "backend": f"PostgreSQL {connection.pg_version // 10000}"
                if connection.vendor == "postgresql"
                else f"SQLite {connection.Database.sqlite_version}",
                "written": stored["written"],
                "write_seconds": stored["write_seconds"],
            }
            expected = expected_records(records, len(stored["slugs"]))
            loaders = (("kommun-year", load_kommun_year), ("sweden-4y", load_sweden))
            # First from the reports (no year's columns built yet), then from the kept columns.
            for scope, loader in loaders:
                seconds = median_seconds(lambda loader=loader: loader(stored))
                result[scope] = {"reports_seconds": seconds}
                log(f"{scope}: loaded from the reports in {seconds * 1e3:.0f} ms")
            from samtrygg.observations import columns

            started = time.perf_counter()
            built = columns.build_outdated()
            took = time.perf_counter() - started
            result.update(columns_built=built, columns_seconds=took)
            log(f"kept columns of {built} partnership-years built in {took:.1f} s")
            for scope, loader in loaders:
                loaded = loader(stored)
                seconds = median_seconds(lambda loader=loader: loader(stored))
                result[scope].update(
                    seconds=seconds,
                    records=int(loaded["times"].size),
                    police=int(loaded["police"].sum()),
                    match=same_records(loaded, expected[scope]),
                )
                log(f"{scope}: {loaded['times'].size} records loaded in {seconds * 1e3:.0f} ms")
            result["kommun-year"].update(served_kommun_year(stored))
        finally:
            if drop is not None:
                drop()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
