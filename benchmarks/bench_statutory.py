"""Drafting the statutory lägesbild (lag 2023:196): its server time on the demo (Orsa) and on
the largest partnership of the benchmark data (Gislaved with a synthetic year of 100 000
reports, as in bench_situation) with six prioritised problems, beside the reference in the
same run: the lägesbild page of the same year, which makes the same engine call once.
Times are printed, never asserted (the target is under 1 s for drafting)."""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
RUNS = 3


def _median(run: Any) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(RUNS):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def _problems(partnership: Any, year: int) -> None:
    """Six prioritised problems over different categories and areas (the demo has two)."""
    from samtrygg.core.dataio import system_actor
    from samtrygg.core.models import Area
    from samtrygg.observations.models import Category
    from samtrygg.statutory import services
    from samtrygg.statutory.models import Problem

    actor = system_actor(partnership)
    areas = list(Area.objects.filter(partnership=partnership).order_by("name"))
    categories = list(Category.objects.filter(partnership=partnership).order_by("sort_order"))
    have = Problem.objects.filter(partnership=partnership, status="aktuell").count()
    for i in range(max(0, 6 - have)):
        services.create_problem(
            actor,
            title=f"Problem {i + 1}",
            period_start=dt.date(year, 1, 1),
            period_end=dt.date(year, 12, 31),
            priority=1,
            areas=[areas[i % len(areas)].pk],
            categories=[c.pk for c in categories[i * 2 : i * 2 + 2]],
        )


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="samtrygg-bench-") as tmp:
        os.environ["SAMTRYGG_VAR_DIR"] = tmp
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samtrygg.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from bench_situation import N_YEAR, _synthetic_year
        from django.core.management import call_command
        from django.test import Client

        from samtrygg.core.dataio import system_actor
        from samtrygg.core.models import Partnership, User
        from samtrygg.statutory import queries, services

        call_command("migrate", verbosity=0, interactive=False)
        call_command("loaddemo", verbosity=0)
        year = dt.date.today().year - 1
        gislaved = Partnership.objects.get(municipality_id="0662")
        started = time.perf_counter()
        n = _synthetic_year(gislaved, year)
        print(
            f"{n} syntetiska händelser för {year} skrevs på {time.perf_counter() - started:.1f} s"
        )
        _problems(gislaved, year)

        rows: list[tuple[str, str, float, str]] = []
        for code, email, who in (
            ("2034", "samordnare.orsa@demo.example", "Orsa (demo)"),
            ("0662", "samordnare.gislaved@demo.example", f"Gislaved ({N_YEAR} händelser/år)"),
        ):
            partnership = Partnership.objects.get(municipality_id=code)
            actor = system_actor(partnership)
            draft = queries.current_draft(actor)
            if draft is None:  # Orsa's demo version is adopted: a new version to draft
                adopted = queries.latest_adopted(actor)
                draft = services.new_version(actor, adopted, reason="Mätning")
            seconds, _done = _median(lambda a=actor, d=draft: services.recompute_report(a, d))
            problems = len(draft.figures["problems"])
            rows.append((who, f"ta fram utkast ({problems} problem)", seconds, "ok"))
            client = Client()
            client.force_login(User.objects.get(email=email))
            seconds, response = _median(
                lambda c=client, d=draft: c.get(f"/lagen/lagesbild/{d.pk}/")
            )
            rows.append((who, "utkastets sida", seconds, str(response.status_code)))
            seconds, response = _median(
                lambda c=client, d=draft: c.get(f"/lagesbild/?period={d.period_start.year}")
            )
            rows.append(
                (who, "referens: lägesbildssidan, helår", seconds, str(response.status_code))
            )

        print(f"{'samverkan':<32} {'mätning':<36} {'servertid (median av 3)':>24} {'status':>7}")
        for who, label, seconds, status in rows:
            print(f"{who:<32} {label:<36} {seconds * 1000:>21.0f} ms {status:>7}")
        return 0 if all(r[3] in ("ok", "200") for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
