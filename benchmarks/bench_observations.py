"""Benchmark of EST report imports: a partner's 10 000-row log into a fresh database.

Prints one table, rows per second (wall clock and CPU):

* **import**: 10 000 new rows (CSV as a partner's log would look: named places and points,
  time bands and clock times, several categories), every row validated and screened by the
  privacy filter, then saved all together;
* **omkörning**: the same file again (nothing changes: every row is recognised);
* **ett fel**: the same file with one bad row (row 7 342): refused as a whole, nothing saved.

And, for the demo: the time to load one demo partnership's year of reports (about 2 000).

A fresh SQLite database in a temporary SAMTRYGG_VAR_DIR; nothing is asserted.
Run: ``.venv/bin/python benchmarks/bench_observations.py`` from the repository root.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROWS = 10_000
BAD_ROW = 7_342
SEED = 20_251_123


def _csv(place_names: list[str], categories: list[str], bad_row: int | None = None) -> bytes:
    """A deterministic partner's log of ROWS incidents in Orsa."""
    rng = random.Random(SEED)
    today = dt.date.today()
    lines = [
        "datum,tid,tidsband,kategori,plats,lat,lon,beskrivning,bedomning,"
        "antal_personer,kalla,polisanmald"
    ]
    bands = ["morgon", "dag", "kväll", "natt"]
    sources = ["egen iakttagelse", "boende", "sociala medier", "polisanmälan"]
    texts = [
        "Klotter på fasaden vid entrén",
        "Sönderslagen papperskorg",
        "Grupp ungdomar samlades sent, hög ljudnivå",
        "Mycket skräp och glas på gångvägen",
        "Trasig belysning gör platsen mörk",
    ]
    for i in range(ROWS):
        number = i + 2
        day = today - dt.timedelta(days=rng.randrange(1, 365))
        clock = f"{rng.randrange(6, 23):02d}:{rng.randrange(60):02d}" if rng.random() < 0.3 else ""
        band = "" if clock else rng.choice(bands)
        category = "Okänd" if number == bad_row else rng.choice(categories)
        if rng.random() < 0.5:
            place, lat, lon = rng.choice(place_names), "", ""
        else:
            place = ""
            lat = f"{61.1205 + rng.uniform(-0.004, 0.004):.6f}"
            lon = f"{14.6160 + rng.uniform(-0.008, 0.008):.6f}"
        text = f"{rng.choice(texts)} ({i % 97} st)."
        people = str(rng.randrange(1, 12)) if rng.random() < 0.4 else ""
        lines.append(
            f'{day},{clock},{band},"{category}",{place},{lat},{lon},"{text}",'
            f"{rng.randrange(1, 5)},{people},{rng.choice(sources)},{rng.choice(['ja', 'nej'])}"
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="samtrygg-bench-") as tmp:
        os.environ["SAMTRYGG_VAR_DIR"] = tmp
        os.environ["DEBUG"] = "0"  # as in production: no query log
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samtrygg.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)

        from samtrygg.core import services as core
        from samtrygg.core.dataio import system_actor
        from samtrygg.core.demo import ORSA, _hexagon
        from samtrygg.core.errors import DomainError
        from samtrygg.core.models import Partnership, PoliceArea
        from samtrygg.core.progress import progress
        from samtrygg.observations import importing, services
        from samtrygg.observations.models import Category, Observation

        lpo = PoliceArea.objects.create(name="LPO Mora", region="bergslagen")
        lpo.municipalities.add("2034")
        partnership = Partnership.objects.create(
            municipality_id="2034", police_area=lpo, name="Bänk Orsa", is_demo=True
        )
        actor = system_actor(partnership)
        org = core.create_organisation(actor, name="Bostadsbolaget", type="bostadsbolag")
        for name, lat, lon, radius, population in ORSA["areas"]:  # type: ignore[attr-defined]
            core.create_area(
                actor, name=name, geometry=_hexagon(lat, lon, radius), population=population
            )
        places = []
        for name, kind, lat, lon in ORSA["places"]:  # type: ignore[attr-defined]
            places.append(core.create_place(actor, name=name, type=kind, lat=lat, lon=lon).name)
        categories = [c.name for c in Category.objects.filter(partnership=partnership)]
        good = _csv(places, categories)
        bad = _csv(places, categories, bad_row=BAD_ROW)

        def show(items, total, label):  # type: ignore[no-untyped-def]
            return progress(items, total=total, label=label, stream=sys.stderr, unit="rader")

        results = []
        for run, data in (("import", good), ("omkörning", good), ("ett fel", bad)):
            started, cpu = time.perf_counter(), time.process_time()
            try:
                rows = importing.read_file(data, "logg.csv")
                result = services.import_rows(actor, rows, organisation=org, progress=show)
                outcome = f"{result.created} nya, {result.unchanged} oförändrade"
            except DomainError as exc:
                outcome = exc.message.split("\n")[1][:60]
            seconds = time.perf_counter() - started
            results.append((run, seconds, time.process_time() - cpu, outcome))
        stored = Observation.objects.count()

        from samtrygg.core.demo import GISLAVED
        from samtrygg.observations import demo_data

        lpo2 = PoliceArea.objects.create(name="LPO Gislaved", region="syd")
        lpo2.municipalities.add("0662")
        gislaved = Partnership.objects.create(
            municipality_id="0662", police_area=lpo2, name="Bänk Gislaved", is_demo=True
        )
        other = system_actor(gislaved)
        core.create_organisation(other, name="Bevakningsföretaget", type="bevakningsforetag")
        for name, lat, lon, radius, population in GISLAVED["areas"]:  # type: ignore[attr-defined]
            core.create_area(
                other, name=name, geometry=_hexagon(lat, lon, radius), population=population
            )
        for name, kind, lat, lon in GISLAVED["places"]:  # type: ignore[attr-defined]
            core.create_place(other, name=name, type=kind, lat=lat, lon=lon)
        started = time.perf_counter()
        demo_count = demo_data.load_partnership(gislaved)
        demo_seconds = time.perf_counter() - started

    print()
    print(f"{'körning':<10} {'rader':>7} {'sekunder':>9} {'rader/s':>8} {'cpu-s':>6}  utfall")
    for run, seconds, cpu, outcome in results:
        print(f"{run:<10} {ROWS:>7} {seconds:>9.2f} {ROWS / seconds:>8.0f} {cpu:>6.2f}  {outcome}")
    print(f"Lagrat efter körningarna: {stored} händelser (väntat {ROWS}).")
    print(
        f"Demoåret för en samverkan: {demo_count} händelser på {demo_seconds:.2f} s "
        f"({demo_count / demo_seconds:.0f} händelser/s)."
    )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"Maskinens last under körningen: {load:.1f} på {os.cpu_count()} kärnor.")
    return 0 if stored == ROWS else 1


if __name__ == "__main__":
    sys.exit(main())
