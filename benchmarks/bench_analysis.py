"""Benchmark of the analysis engine: Gi* against PySAL esda, and whole lägesbilder.

Prints two tables:

1. **Gi\\*** on the same grid, ours (``samtrygg.analysis.hotspots.gi_star``) against esda
   (``G_Local(y, w, star=True, transform="B", permutations=0)``; building its
   ``libpysal.weights.W`` from the same neighbour dict is timed separately), with the ratio of
   the two Gi* times and the largest difference in z:

   * the real police events 2022–2025 (SAMTRYGG_DATA_DIR, default ``../shared/data``): each
     event's published point goes into an h3 cell at resolution 7, on the grid of all
     resolution-7 cells of Sweden's län polygons. Those points are the *centroids of kommuner
     and län*, not places of incidents: this measures the grid computation only and is not an
     analysis of places.
   * 1 000 000 generated points (deterministic) clustered around the towns of Dalarna, on the
     grid of all resolution-9 cells of the Dalarna polygon.

2. **Lägesbild** (``compute_picture``: counts, changes, hot spots, emerging hot spots, hot times,
   levels) from arrays already in memory, for one kommun-year (Falun 2025, with its baseline
   years) and for all of Sweden over four years (2022–2025), with the time to load those arrays
   from the database beside it: ``benchmarks/picture_db.py`` stores the same reports (and the
   real police events, through the importer) in a fresh SQLite database and, when the server
   is reachable, a fresh PostgreSQL database, and times the loaders the application uses
   (``samtrygg.situation.compute``), checking that what they read equals what was written.

Times are medians of repeated runs on warm caches (esda: one run). Targets: Gi* ≥ 100× faster
than esda (aim 300×) with max |Δz| < 1e-9; a kommun-year under 20 ms; all of Sweden over four
years under 1 s. Nothing is asserted; the numbers are printed.

Run: ``.venv/bin/python benchmarks/bench_analysis.py`` from the repository root (``make bench``).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from samtrygg.analysis import grid  # noqa: E402
from samtrygg.analysis.binning import period_start  # noqa: E402
from samtrygg.analysis.cellbits import cell_parent  # noqa: E402
from samtrygg.analysis.hotspots import gi_star  # noqa: E402
from samtrygg.analysis.picture import Period, PictureSettings, compute_picture  # noqa: E402

REFERENCE = ROOT / "samtrygg" / "core" / "reference"
SEED = 20_250_101
N_GENERATED = 1_000_000
SWEDEN_OBSERVATIONS = 1_000_000
KOMMUN_YEAR_OBSERVATIONS = 5_000
YEARS = (2022, 2023, 2024, 2025)
N_CATEGORIES = 16
#: The PostgreSQL server for the load column; the benchmark creates and drops this database.
POSTGRES_URL = os.environ.get(
    "SAMTRYGG_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/samtrygg_bench"
)

# towns of Dalarna (lat, lng, relative weight, spread in km)
DALARNA_TOWNS = [
    (60.607, 15.631, 10, 3.0),  # Falun
    (60.484, 15.434, 9, 3.0),  # Borlänge
    (61.004, 14.537, 5, 2.5),  # Mora
    (60.150, 15.187, 5, 2.5),  # Ludvika
    (60.146, 16.168, 3, 2.0),  # Avesta
    (60.311, 15.993, 3, 2.0),  # Hedemora
    (60.730, 14.999, 2, 1.5),  # Leksand
    (60.885, 15.112, 2, 1.5),  # Rättvik
    (60.679, 13.720, 2, 1.5),  # Malung
    (61.120, 14.612, 2, 1.5),  # Orsa
    (60.343, 15.750, 1, 1.0),  # Säter
    (61.229, 14.039, 1, 1.0),  # Älvdalen
    (61.155, 12.836, 1, 2.0),  # Sälen
]


def data_dir() -> Path:
    configured = os.environ.get("SAMTRYGG_DATA_DIR")
    return Path(configured) if configured else ROOT.parent / "shared" / "data"


def median_time(func: Callable[[], object], repeats: int) -> tuple[float, float, float]:
    """(median wall time, best wall time, median CPU time of this process) in seconds, after
    one warm-up run. On a busy machine the wall time exceeds the CPU time."""
    func()
    wall, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        func()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), min(wall), statistics.median(cpu)


# --- inputs ---------------------------------------------------------------------------------


def county_geometry(code: str) -> dict[str, Any]:
    features = json.loads((REFERENCE / "swe-maps-lan.geojson").read_text(encoding="utf-8"))
    return next(f["geometry"] for f in features["features"] if f["properties"]["LnKod"] == code)


def kommun_features() -> list[dict[str, Any]]:
    features = json.loads((REFERENCE / "swe-maps-kommun.geojson").read_text(encoding="utf-8"))
    return sorted(features["features"], key=lambda f: f["properties"]["KnKod"])


def cells_of(geometry: Mapping[str, Any], res: int) -> np.ndarray:
    from h3.api import basic_int as h3i

    return np.unique(np.asarray(h3i.geo_to_cells(geometry, res), dtype=np.int64))


def sweden_cells(res: int) -> np.ndarray:
    features = json.loads((REFERENCE / "swe-maps-lan.geojson").read_text(encoding="utf-8"))
    parts = [cells_of(f["geometry"], res) for f in features["features"]]
    return np.unique(np.concatenate(parts))


def random_times(rng: np.random.Generator, n: int) -> np.ndarray:
    """Times over 2022–2025 with more in the evening and at weekends."""
    start = int(period_start(YEARS[0], "year"))
    days = rng.integers(0, 4 * 365 + 1, n)
    hour_weights = np.array(
        [3, 2, 1, 1, 1, 1, 2, 3, 4, 4, 4, 4, 5, 5, 5, 6, 7, 8, 9, 10, 10, 9, 7, 5]
    )
    hours = rng.choice(24, n, p=hour_weights / hour_weights.sum())
    return start + days * 86_400 + hours * 3600 + rng.integers(0, 3600, n)


def category_codes(rng: np.random.Generator, n: int) -> np.ndarray:
    weights = 1.0 / np.arange(1, N_CATEGORIES + 1)
    return rng.choice(N_CATEGORIES, n, p=weights / weights.sum()).astype(np.int32)


@dataclass
class Points:
    lat: np.ndarray
    lng: np.ndarray
    cells: np.ndarray
    times: np.ndarray
    categories: np.ndarray


def generated_dalarna(rng: np.random.Generator) -> Points:
    """N_GENERATED points: 85 % around Dalarna's towns, 15 % spread over the county."""
    import shapely
    from shapely.geometry import shape

    county = shape(county_geometry("20"))
    shapely.prepare(county)
    weights = np.array([t[2] for t in DALARNA_TOWNS], dtype=float)
    n_town = int(N_GENERATED * 0.85)
    town = rng.choice(len(DALARNA_TOWNS), n_town, p=weights / weights.sum())
    spread_km = np.array([t[3] for t in DALARNA_TOWNS])[town] * rng.gamma(1.0, 1.0, n_town)
    lat = np.array([t[0] for t in DALARNA_TOWNS])[town] + rng.normal(0, 1, n_town) * spread_km / 111
    lng = np.array([t[1] for t in DALARNA_TOWNS])[town] + rng.normal(0, 1, n_town) * spread_km / 55
    min_lng, min_lat, max_lng, max_lat = county.bounds
    spread_lat, spread_lng = [], []
    while sum(a.size for a in spread_lat) < N_GENERATED - n_town:
        cand_lat = rng.uniform(min_lat, max_lat, 400_000)
        cand_lng = rng.uniform(min_lng, max_lng, 400_000)
        inside = shapely.contains_xy(county, cand_lng, cand_lat)
        spread_lat.append(cand_lat[inside])
        spread_lng.append(cand_lng[inside])
    n_spread = N_GENERATED - n_town
    lat = np.concatenate([lat, np.concatenate(spread_lat)[:n_spread]])
    lng = np.concatenate([lng, np.concatenate(spread_lng)[:n_spread]])
    cells = grid.cells_from_latlng(lat, lng, 9)
    return Points(lat, lng, cells, random_times(rng, lat.size), category_codes(rng, lat.size))


def police_events(folder: Path) -> list[dict[str, Any]]:
    events = []
    for year in YEARS:
        path = folder / f"events_{year}.jsonl"
        with path.open(encoding="utf-8") as handle:
            events.extend(json.loads(line) for line in handle if line.strip())
    return events


def police_times(events: list[dict[str, Any]]) -> np.ndarray:
    """UTC epoch seconds from the feed's "2024-01-01 0:40:16 +01:00" (hour not zero-padded)."""
    out = np.empty(len(events), dtype=np.int64)
    for i, event in enumerate(events):
        date, clock, offset = event["datetime"].split(" ")
        h, m, s = (int(x) for x in clock.split(":"))
        day = int(np.datetime64(date, "D").astype(np.int64))
        sign = 1 if offset[0] == "+" else -1
        off = sign * (int(offset[1:3]) * 3600 + int(offset[4:6]) * 60)
        out[i] = day * 86_400 + h * 3600 + m * 60 + s - off
    return out


def kommun_codes() -> tuple[list[str], dict[str, int], np.ndarray]:
    """Kommun codes in order, an index by lower-case short name, and population per kommun."""
    with (REFERENCE / "municipality_county.csv").open(encoding="utf-8") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda r: r["municipality_code"])
    codes = [r["municipality_code"] for r in rows]
    by_name = {r["municipality_name_short"].lower(): i for i, r in enumerate(rows)}
    with (REFERENCE / "population_2024.csv").open(encoding="utf-8") as handle:
        population = {r["kommun_kod"]: int(r["population"]) for r in csv.DictReader(handle)}
    return codes, by_name, np.array([population[c] for c in codes], dtype=np.int64)


# --- part 1: Gi* against esda -----------------------------------------------------------------


@dataclass
class GiRow:
    label: str
    cells: int
    esda_cells: int
    ours: float  # median Gi* time on the whole grid
    ours_best: float
    ours_cpu: float
    ours_on_esda_cells: float  # the same on the cells esda ran on (the ratio's base)
    neighbours: float
    esda: float
    esda_weights: float
    max_dz: float


def compare_gi(label: str, cells: np.ndarray, values: np.ndarray, esda_max: int) -> GiRow:
    import esda
    import libpysal

    start = time.perf_counter()
    matrix = grid.neighbors_csr(cells)
    neighbours = time.perf_counter() - start
    ours, ours_best, ours_cpu = median_time(lambda: gi_star(values, matrix), 7)

    esda_cells = min(cells.size, esda_max)
    sub_matrix, sub_values, ours_sub = matrix, values, ours
    if esda_cells < cells.size:  # the first cells in id order: a compact part of the grid
        keep = np.arange(esda_cells)
        sub_matrix = matrix[keep][:, keep].tocsr()
        sub_values = values[keep]
        ours_sub, _, _ = median_time(lambda: gi_star(sub_values, sub_matrix), 7)
    z = gi_star(sub_values, sub_matrix).z
    neighbour_dict = grid.neighbors_dict(sub_matrix)
    start = time.perf_counter()
    weights = libpysal.weights.W(neighbour_dict, silence_warnings=True)
    esda_weights = time.perf_counter() - start
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        local_g = esda.G_Local(sub_values, weights, star=True, transform="B", permutations=0)
        esda_time = time.perf_counter() - start
    theirs = np.asarray(local_g.Zs, dtype=np.float64)
    finite = np.isfinite(theirs)
    max_dz = float(np.max(np.abs(z[finite] - theirs[finite]), initial=0.0))
    return GiRow(
        label=label,
        cells=cells.size,
        esda_cells=esda_cells,
        ours=ours,
        ours_best=ours_best,
        ours_cpu=ours_cpu,
        ours_on_esda_cells=ours_sub,
        neighbours=neighbours,
        esda=esda_time,
        esda_weights=esda_weights,
        max_dz=max_dz,
    )


# --- part 2: lägesbilder ------------------------------------------------------------------------


@dataclass
class PictureRow:
    label: str
    records: int
    cells: int
    compute: float
    compute_best: float
    compute_cpu: float
    scope: str


def time_picture(label: str, scope: str, kwargs: Mapping[str, Any], repeats: int) -> PictureRow:
    picture = compute_picture(**kwargs)
    median, best, cpu = median_time(lambda: compute_picture(**kwargs), repeats)
    n_cells = 0 if picture.cells is None else int(picture.cells.cells.size)
    records = int(np.asarray(kwargs["times"]).size)
    return PictureRow(label, records, n_cells, median, best, cpu, scope)


# --- part 3: loading the arrays from the database -------------------------------------------


def postgres_reachable(url: str) -> str | None:
    """None when the server answers, else why not."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    try:
        psycopg.connect(admin, connect_timeout=3).close()
    except psycopg.Error as error:
        return str(error).strip().splitlines()[0]
    return None


def load_from_database(url: str, records: Path, police_dir: Path | None) -> dict[str, Any]:
    """Run ``picture_db.py`` on one database; its last output line is a JSON result."""
    command = [
        sys.executable,
        str(ROOT / "benchmarks" / "picture_db.py"),
        "--database-url",
        url,
        "--records",
        str(records),
    ]
    if police_dir is not None:
        command += ["--police-dir", str(police_dir)]
    done = subprocess.run(command, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=False)
    lines = done.stdout.strip().splitlines()
    if done.returncode or not lines:
        return {"error": f"picture_db.py stopped with exit code {done.returncode}"}
    return dict(json.loads(lines[-1]))


def kommun_year_inputs(
    points: Points, events: list[dict[str, Any]], rng: np.random.Generator
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Falun: 5 000 reports a year for 2022–2025 (drawn from the Dalarna points inside Falun),
    its delområden (resolution-5 parents of its cells), and its police events (no cell).

    Returns ``compute_picture``'s arguments and the reports alone (for the database)."""
    import shapely
    from shapely.geometry import shape

    from samtrygg.analysis.binning import areas_of_cells

    falun = next(f for f in kommun_features() if f["properties"]["KnKod"] == "2080")
    polygon = shape(falun["geometry"])
    shapely.prepare(polygon)
    inside = np.flatnonzero(shapely.contains_xy(polygon, points.lng, points.lat))
    chosen = rng.choice(
        inside, min(inside.size, KOMMUN_YEAR_OBSERVATIONS * len(YEARS)), replace=False
    )
    kommun_cells = cells_of(falun["geometry"], 9)
    parents, area_of_cell = np.unique(cell_parent(kommun_cells, 5), return_inverse=True)
    n_areas = parents.size + 1  # the last area is "the whole kommun" for police events
    reports = {
        "times": points.times[chosen],
        "categories": points.categories[chosen].astype(np.int32),
        "cells": points.cells[chosen],
        "lat": points.lat[chosen],
        "lng": points.lng[chosen],
        "areas": areas_of_cells(
            points.cells[chosen], kommun_cells, area_of_cell.astype(np.int32)
        ).astype(np.int32),
        "area_parents": parents,
    }
    police = [e for e in events if e["location"]["name"].lower() == "falun"]
    times = np.concatenate([reports["times"], police_times(police)])
    categories = np.concatenate([reports["categories"], rng.integers(0, N_CATEGORIES, len(police))])
    cells = np.concatenate([reports["cells"], np.zeros(len(police), np.int64)])
    areas = np.concatenate([reports["areas"], np.full(len(police), n_areas - 1, np.int32)])
    kwargs = {
        "times": times,
        "categories": categories.astype(np.int32),
        "areas": areas.astype(np.int32),
        "cells": cells,
        "n_areas": n_areas,
        "area_of_cell": (kommun_cells, area_of_cell.astype(np.int32)),
        "n_categories": N_CATEGORIES,
        "period": Period.year(YEARS[-1]),
        "data_start": int(period_start(YEARS[0], "year")),
    }
    return kwargs, reports


def sweden_inputs(
    events: list[dict[str, Any]], rng: np.random.Generator, falun: Mapping[str, np.ndarray]
) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """About SWEDEN_OBSERVATIONS reports over 2022–2025 in all 290 kommuner (by population,
    around three places in each; Falun's are the kommun-year's reports) plus every police
    event (area = its kommun, or none for län-level).

    Returns ``compute_picture``'s arguments and the reports outside Falun (for the database)."""
    import shapely
    from shapely.geometry import shape

    codes, by_name, population = kommun_codes()
    features = kommun_features()
    assert [f["properties"]["KnKod"] for f in features] == codes
    anchors = shapely.point_on_surface([shape(f["geometry"]) for f in features])
    anchor_lng, anchor_lat = shapely.get_x(anchors), shapely.get_y(anchors)
    per_kommun = rng.multinomial(SWEDEN_OBSERVATIONS, population / population.sum())
    kommun = np.repeat(np.arange(len(codes)), per_kommun)
    place_lat = anchor_lat[:, None] + rng.normal(0, 0.04, (len(codes), 3))
    place_lng = anchor_lng[:, None] + rng.normal(0, 0.08, (len(codes), 3))
    place = rng.integers(0, 3, kommun.size)
    spread_km = rng.gamma(1.0, 1.2, kommun.size)
    lat = place_lat[kommun, place] + rng.normal(0, 1, kommun.size) * spread_km / 111
    lng = place_lng[kommun, place] + rng.normal(0, 1, kommun.size) * spread_km / 55
    cells = grid.cells_from_latlng(lat, lng, 9)
    others = kommun != codes.index("2080")
    reports = {
        "times": random_times(rng, kommun.size)[others],
        "categories": category_codes(rng, kommun.size)[others],
        "cells": cells[others],
        "lat": lat[others],
        "lng": lng[others],
        "kommun": kommun[others].astype(np.int32),
        "kommun_codes": np.asarray(codes),
    }
    falun_kommun = np.full(falun["times"].size, codes.index("2080"), np.int32)
    police_area = np.array([by_name.get(e["location"]["name"].lower(), -1) for e in events])
    kwargs = {
        "times": np.concatenate([falun["times"], reports["times"], police_times(events)]),
        "categories": np.concatenate(
            [
                falun["categories"],
                reports["categories"],
                rng.integers(0, N_CATEGORIES, len(events)),
            ]
        ).astype(np.int32),
        "areas": np.concatenate([falun_kommun, reports["kommun"], police_area]).astype(np.int32),
        "cells": np.concatenate(
            [falun["cells"], reports["cells"], np.zeros(len(events), np.int64)]
        ),
        "n_areas": len(codes),
        "population": population,
        "n_categories": N_CATEGORIES,
        "period": Period.year(YEARS[-1]),
        "data_start": int(period_start(YEARS[0], "year")),
        "settings": PictureSettings(trend_unit="tertial", trend_steps=12),
    }
    return kwargs, reports


# --- output ---------------------------------------------------------------------------------


def thousands(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def print_tables(
    gi_rows: list[GiRow],
    picture_rows: list[PictureRow],
    loads: Mapping[str, Mapping[str, Any]],
    notes: list[str],
) -> None:
    print("\nGi* (binary weights, star) against PySAL esda")
    print("esda: G_Local(y, w, star=True, transform='B', permutations=0); W: libpysal.weights.W")
    header = (
        f"{'data':<44} {'cells':>9} {'ours ms':>9} {'esda s':>8} {'W s':>7} {'ratio':>8} "
        f"{'max |Δz|':>9}"
    )
    print(header)
    print("-" * len(header))
    for r in gi_rows:
        cells = thousands(r.cells) if r.esda_cells == r.cells else f"{thousands(r.cells)}*"
        ratio = r.esda / r.ours_on_esda_cells if r.ours_on_esda_cells > 0 else float("inf")
        print(
            f"{r.label:<44} {cells:>9} {r.ours * 1e3:>9.1f} {r.esda:>8.2f} {r.esda_weights:>7.2f} "
            f"{ratio:>7.0f}× {r.max_dz:>9.1e}"
        )
    print("\nLägesbild from loaded arrays, and loading them from the database")
    print("compute_picture: counts, changes, hot spots, emerging hot spots, hot times, levels")
    backends = list(loads)
    header = (
        f"{'scope':<44} {'records':>10} {'cells':>8} {'compute ms':>11} {'best ms':>8} "
        f"{'cpu ms':>8}" + "".join(f" {'load ' + b:>16} {'from reports':>13}" for b in backends)
    )
    print(header)
    print("-" * len(header))
    for p in picture_rows:
        cells = ""
        for backend in backends:
            result = loads[backend].get(p.scope)
            load = "—" if not result else f"{result['seconds'] * 1e3:.0f} ms"
            if result and not result["match"]:
                load += " (≠)"
            reports = "—" if not result else f"{result['reports_seconds'] * 1e3:.0f} ms"
            cells += f" {load:>16} {reports:>13}"
        print(
            f"{p.label:<44} {thousands(p.records):>10} {thousands(p.cells):>8} "
            f"{p.compute * 1e3:>11.1f} {p.compute_best * 1e3:>8.1f} {p.compute_cpu * 1e3:>8.1f}"
            f"{cells}"
        )
    print()
    for note in notes:
        print(f"  · {note}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--esda-max-cells",
        type=int,
        default=500_000,
        help="run esda on at most this many cells (a subset of the grid), default 500 000",
    )
    parser.add_argument(
        "--databases",
        default="sqlite,postgresql",
        help="where to time loading the arrays: sqlite, postgresql, both (the default) or none; "
        f"PostgreSQL at SAMTRYGG_BENCH_POSTGRES_URL (default {POSTGRES_URL})",
    )
    args = parser.parse_args(argv)
    rng = np.random.default_rng(SEED)
    notes: list[str] = []
    gi_rows: list[GiRow] = []
    picture_rows: list[PictureRow] = []
    started = time.perf_counter()

    folder = data_dir() / "police_events"
    missing = [y for y in YEARS if not (folder / f"events_{y}.jsonl").is_file()]
    events: list[dict[str, Any]] = []
    if missing:
        notes.append(
            f"Police events not found in {folder} (set SAMTRYGG_DATA_DIR): their rows are skipped."
        )
    else:
        events = police_events(folder)
        lat = np.array([float(e["location"]["gps"].split(",")[0]) for e in events])
        lng = np.array([float(e["location"]["gps"].split(",")[1]) for e in events])
        grid_cells = sweden_cells(7)
        event_cells = grid.cells_from_latlng(lat, lng, 7)
        position = np.searchsorted(grid_cells, event_cells)
        found = grid_cells[np.minimum(position, grid_cells.size - 1)] == event_cells
        values = np.bincount(position[found], minlength=grid_cells.size).astype(np.float64)
        label = f"police events {YEARS[0]}–{YEARS[-1]} ({thousands(len(events))}), res 7"
        gi_rows.append(compare_gi(label, grid_cells, values, args.esda_max_cells))
        notes.append(
            "Police events carry the centroid of their kommun or län, not the place of the "
            "incident: that row measures the grid computation only and is no analysis of places."
        )

    points = generated_dalarna(rng)
    dalarna = cells_of(county_geometry("20"), 9)
    position = np.searchsorted(dalarna, points.cells)
    found = dalarna[np.minimum(position, dalarna.size - 1)] == points.cells
    values = np.bincount(position[found], minlength=dalarna.size).astype(np.float64)
    gi_rows.append(
        compare_gi(
            f"generated {thousands(N_GENERATED)} points, Dalarna, res 9",
            dalarna,
            values,
            args.esda_max_cells,
        )
    )
    for row in gi_rows:
        notes.append(
            f"{row.label}: building our neighbour matrix took {row.neighbours:.2f} s "
            f"(h3, per cell); Gi* best run {row.ours_best * 1e3:.1f} ms, "
            f"CPU {row.ours_cpu * 1e3:.1f} ms."
        )
        if row.esda_cells < row.cells:
            notes.append(
                f"* esda ran on the first {thousands(row.esda_cells)} cells only "
                "(--esda-max-cells); ratio and Δz on that subset."
            )

    falun_kwargs, falun_reports = kommun_year_inputs(points, events, rng)
    sweden_kwargs, sweden_reports = sweden_inputs(events, rng, falun_reports)
    for label, scope, kwargs, repeats in (
        (f"kommun-year: Falun {YEARS[-1]} (+ baseline years)", "kommun-year", falun_kwargs, 15),
        (f"all of Sweden, {YEARS[0]}–{YEARS[-1]}, 290 kommuner", "sweden-4y", sweden_kwargs, 5),
    ):
        picture_rows.append(time_picture(label, scope, kwargs, repeats))

    loads: dict[str, dict[str, Any]] = {}
    wanted = {d.strip().lower() for d in args.databases.split(",")} - {"", "none"}
    databases = [("SQLite", "sqlite:")] if "sqlite" in wanted else []
    if "postgresql" in wanted:
        why_not = postgres_reachable(POSTGRES_URL)
        if why_not is None:
            databases.append(("PostgreSQL", POSTGRES_URL))
        else:
            loads["PostgreSQL"] = {}
            notes.append(f"PostgreSQL not reachable at {POSTGRES_URL} ({why_not}): no load time.")
    with tempfile.TemporaryDirectory(prefix="samtrygg-bench-") as tmp:
        records = Path(tmp) / "records.npz"
        np.savez(
            records,
            **{f"ky_{k}": v for k, v in falun_reports.items()},
            **{f"sw_{k}": v for k, v in sweden_reports.items() if k != "kommun_codes"},
            kommun_codes=sweden_reports["kommun_codes"],
        )
        for name, url in databases:
            print(f"Storing the reports in {name} and timing the loaders …", file=sys.stderr)
            result = load_from_database(url, records, folder if events else None)
            loads[name] = result
            if "error" in result:
                notes.append(f"{name}: {result['error']}; no load time.")
                continue
            notes.append(
                f"Load from {result['backend']}: {thousands(result['written'])} reports written "
                f"in {result['write_seconds']:.0f} s"
                + (" plus the real police events through the importer" if events else "")
                + f"; the kept report columns of {result['columns_built']} partnership-years "
                f"were built in {result['columns_seconds']:.1f} s ('load' reads them, 'from "
                "reports' reads the reports as a year not yet built is read)"
                + "; the loaders read "
                + ", ".join(
                    f"{scope} {thousands(result[scope]['records'])} records "
                    f"({thousands(result[scope]['police'])} police events)"
                    for scope in ("kommun-year", "sweden-4y")
                )
                + ". The kommun-year lägesbild as the application serves it "
                "(situation.pictures.cached_snapshot: loading, engine, context and charts, "
                "kept in the shared cache until the next change): the first request after a "
                f"change {result['kommun-year']['first_seconds'] * 1e3:.0f} ms, "
                f"the next ones {result['kommun-year']['kept_seconds'] * 1e3:.1f} ms"
                + ". Reports read back equal those written: "
                + ", ".join(
                    f"{scope} {'yes' if result[scope]['match'] else 'NO (≠)'}"
                    for scope in ("kommun-year", "sweden-4y")
                )
                + "."
            )
    if loads:
        notes.append(
            "Loading reads the police events of the window with their categories through the "
            "partnership's type mapping, so its count of police events differs from the "
            "computation's, which keeps every event with a random category."
        )
    police_note = " plus {} police events" if events else ""
    notes.append(
        f"Kommun-year: {KOMMUN_YEAR_OBSERVATIONS} generated reports a year in Falun's "
        f"delområden{police_note.format('Falun’s')}; year picture, 3 baseline years, "
        "12 monthly steps."
    )
    notes.append(
        f"Sweden: about {thousands(SWEDEN_OBSERVATIONS)} generated reports over four years "
        f"(Falun's are the kommun-year's){police_note.format('all')}; year picture, "
        "3 baseline years, 12 tertials of emerging hot spots; includes building the neighbour "
        "matrix."
    )
    load_avg = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    notes.append(
        "Times are medians of repeated runs (wall clock; 'cpu' is this process's CPU time, "
        "which the wall clock exceeds when other processes compete for the cores); "
        f"load average {load_avg:.1f} on {os.cpu_count()} cores; "
        f"whole benchmark {time.perf_counter() - started:.0f} s."
    )
    print_tables(gi_rows, picture_rows, loads, notes)
    # A loader that reads back other records than were written, or a database step that
    # failed, fails the benchmark (the times alone are never judged).
    broken = [
        name
        for name, result in loads.items()
        if "error" in result
        or any(
            not result[scope]["match"] for scope in ("kommun-year", "sweden-4y") if scope in result
        )
    ]
    if broken:
        print(f"Inläsningen ur databasen stämmer inte: {', '.join(broken)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
