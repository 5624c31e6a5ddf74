"""``make bench``: every benchmark in one go, each printing its own table.

Each module ``benchmarks/bench_*.py`` has a ``main()`` that prints a table comparing our
implementation with its reference in the same run. Times are printed, never asserted.
Large inputs are read from SAMTRYGG_DATA_DIR (default ../shared/data); a benchmark whose
data is missing says so and is skipped. Each runs in its own process, so each can set up
its own database.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORDER = [
    "bench_analysis",
    "bench_sources",
    "bench_observations",
    "bench_situation",
    "bench_effect",
    "bench_api",
]


def main() -> int:
    found = sorted(p.stem for p in (ROOT / "benchmarks").glob("bench_*.py"))
    names = [n for n in ORDER if n in found] + [n for n in found if n not in ORDER]
    failed = []
    for name in names:
        print(f"\n=== {name} ===", flush=True)
        start = time.perf_counter()
        status = subprocess.call(
            [sys.executable, str(ROOT / "benchmarks" / f"{name}.py")], cwd=ROOT
        )
        print(f"({name}: {time.perf_counter() - start:.1f} s)", flush=True)
        if status:
            failed.append(name)
    if failed:
        print("\nMisslyckades: " + ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
