"""The effect block's evaluation from the database: one action's rate ratio, displacement,
time series and regression-to-the-mean check (``actions.effect.evaluate_actions``), against
a reference that reads every report through the ORM and sorts it in Python, in the same run.
Times are printed, never asserted; the target is under 50 ms for one evaluation.

Most of the time on a large partnership is the database reading the rows of the window (the
observations' indexes do not cover the category and delområde, so SQLite visits each row);
the counting itself is grouped in the database.

Cases: the demo (Orsa: the action whose delområde calmed down, a year of demo reports) and
Gislaved with 100 000 synthetic reports over the last year added to its demo.
"""

from __future__ import annotations

import datetime as dt
import io
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
RUNS = 7
N_YEAR = 100_000


def _median_ms(work: Callable[[], Any]) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(RUNS):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, result


def reference_counts(actor: Any, action: Any) -> dict[str, tuple[int, int]]:
    """The plain way: every report of the window read as a model instance through the ORM and
    sorted into target, buffer and control in Python."""
    import numpy as np

    from samtrygg.actions import effect
    from samtrygg.core.models import Area
    from samtrygg.observations.models import Observation

    categories = set(effect.categories_for(actor.partnership, action.type))
    areas = {a.pk: a for a in Area.objects.filter(partnership=actor.partnership)}
    regions = effect._regions(action, areas, None, effect.DEFAULT_RADIUS_M)
    assert regions is not None
    start = effect._week_of(action.start_date)
    after = min(12, effect._week_of(dt.date.today()) - start)
    first = dt.date(1970, 1, 1) + dt.timedelta(days=7 * (start - 12) - 3)
    counts = {"target": [0, 0], "buffer": [0, 0], "control": [0, 0]}
    names = ("target", "buffer", "control")
    for obs in Observation.objects.filter(
        partnership=actor.partnership, merged_into__isnull=True, occurred_on__gte=first
    ):
        if obs.category_id not in categories:
            continue
        week = effect._week_of(obs.occurred_on)
        if start - 12 <= week < start:
            side = 0
        elif start <= week < start + after:
            side = 1
        else:
            continue
        cell_class = (
            1
            if obs.h3_cell in regions.target_cells
            else 2
            if obs.h3_cell in regions.buffer_cells
            else 0
        )
        code = int(regions.codes(np.asarray([obs.area_id or 0]), np.asarray([cell_class]))[0])
        if code >= 0:
            counts[names[code]][side] += 1
    return {k: (v[0], v[1]) for k, v in counts.items()}


def _synthetic_year(partnership: Any) -> int:
    from samtrygg.actions.effect import DEFAULT_CATEGORY_SLUGS
    from samtrygg.core import geo
    from samtrygg.core.models import Area, Organisation
    from samtrygg.observations.models import Category, Observation, Report

    slugs = DEFAULT_CATEGORY_SLUGS["vuxennarvaro"]
    categories = list(Category.objects.filter(partnership=partnership))
    wanted = [c for c in categories if c.slug in slugs]
    organisation = Organisation.objects.filter(partnership=partnership).first()
    areas = list(Area.objects.filter(partnership=partnership))
    report = Report.objects.create(
        partnership=partnership, organisation=organisation, channel="import"
    )
    rng = random.Random(47)
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=364)
    rows = []
    for i in range(N_YEAR):
        area = areas[i % len(areas)]
        ring = area.geometry["coordinates"][0]
        lon = sum(p[0] for p in ring[:-1]) / (len(ring) - 1) + rng.uniform(-0.006, 0.006)
        lat = sum(p[1] for p in ring[:-1]) / (len(ring) - 1) + rng.uniform(-0.003, 0.003)
        when = start + dt.timedelta(seconds=rng.randrange(364 * 86400))
        rows.append(
            Observation(
                report=report,
                partnership=partnership,
                organisation=organisation,
                category=rng.choice(wanted if i % 2 else categories),
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


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="samtrygg-bench-") as tmp:
        os.environ["SAMTRYGG_VAR_DIR"] = tmp
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samtrygg.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.management import call_command

        from samtrygg.actions.demo_data import EFFECT_AREAS
        from samtrygg.actions.effect import evaluate_actions
        from samtrygg.actions.models import Action
        from samtrygg.core.models import Membership, Partnership, Role
        from samtrygg.core.permissions import actor_for

        call_command("migrate", verbosity=0, interactive=False)
        call_command("loaddemo", verbosity=0, stdout=io.StringIO())
        rows = []
        gislaved = Partnership.objects.get(municipality_id="0662")
        started = time.perf_counter()
        n = _synthetic_year(gislaved)
        print(
            f"{n} syntetiska händelser i Gislaved skrevs på {time.perf_counter() - started:.1f} s"
        )
        for code, label in (("2034", "Orsa (demo)"), ("0662", f"Gislaved (demo + {N_YEAR})")):
            partnership = Partnership.objects.get(municipality_id=code)
            user = Membership.objects.filter(partnership=partnership, role=Role.SAMORDNARE)[0].user
            actor = actor_for(user, partnership)
            action = Action.objects.get(
                partnership=partnership, area__name=EFFECT_AREAS[code][0], is_demo=True
            )
            evaluate_actions(actor, [action])  # warm: imports, the zone table
            ours, effect = _median_ms(lambda a=actor, x=action: evaluate_actions(a, [x]))
            ref, counts = _median_ms(lambda a=actor, x=action: reference_counts(a, x))
            rows.append((label, ours, ref, counts == effect.counts, effect))
        print(
            f"{'fall':<30} {'evaluate_actions':>17} {'referens (ORM)':>15} {'samma antal':>12}"
            f"  {'status':<10} {'kvot (95 %)':<22}"
        )
        for label, ours, ref, same, effect in rows:
            did = effect.did
            rr = (
                f"{did.rate_ratio:.2f} ({did.ci_low:.2f}–{did.ci_high:.2f})"
                if did is not None
                else "–"
            )
            print(
                f"{label:<30} {ours:>14.1f} ms {ref:>12.1f} ms {('ja' if same else 'NEJ'):>12}"
                f"  {effect.status:<10} {rr:<22}"
            )
        print(f"(median av {RUNS} körningar; mål: under 50 ms per utvärdering)")
        return 0 if all(r[3] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
