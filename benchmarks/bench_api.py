"""Benchmark: the API under load, beside a bare Django view in the same run.

For SQLite and (when the server answers) PostgreSQL: a fresh database with the demo
(``samtrygg loaddemo``), an API key of Orsa's samordnare, gunicorn with 2 workers on
loopback, and 32 concurrent connections for ``SECONDS`` on each of

- a bare Django view (same middleware, no database): the floor;
- ``GET /api/v1/partnerships/2034/areas`` (the demo's delområden);
- ``GET /api/v1/partnerships/2034/observations`` (the first page of reports).

Prints requests/s, p99 latency, the count of non-2xx answers, the requests/s as a share of
the bare view's in the same run, and the web processes' CPU time per request (read from
/proc on Linux). On a machine that other work shares, requests/s move with the load; the
share and the CPU time per request much less. Load comes from wrk when it is installed
(``make bench`` installs Debian's package), else from a bounded Python loop, which is slower
and says so. Goal: the areas list at least 600 requests/s with p99 under 100 ms on a 2-core
machine.

Run: ``.venv/bin/python benchmarks/bench_api.py`` (or ``make bench``).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SECONDS = int(os.environ.get("SAMTRYGG_BENCH_API_SECONDS", "10"))
CONNECTIONS = 32
GOAL_RPS, GOAL_P99_MS = 600.0, 100.0
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/samtrygg_bench"
TARGETS = [
    ("bar Django-vy", "/bench/bare/"),
    ("delområden", "/api/v1/partnerships/2034/areas"),
    ("rapporter", "/api/v1/partnerships/2034/observations"),
]

TOKEN_SCRIPT = """
import django
django.setup()
from samtrygg.core import services
from samtrygg.core.models import User
user = User.objects.get(email="samordnare.orsa@demo.example")
print(services.create_api_token(user, name="bench")[1])
"""


def log(message: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _postgres(url: str) -> tuple[str, object] | None:
    """A fresh database for ``url`` (its name must end in ``_bench``) and its dropper."""
    try:
        import psycopg
    except ImportError:
        return None
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name.endswith("_bench"):
        raise SystemExit(f"bench_api: the database name must end in _bench, not {name!r}")
    admin = urlunsplit(parts._replace(path="/postgres"))
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=3) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        log(f"PostgreSQL svarar inte ({error}); mäter bara SQLite")
        return None

    def drop() -> None:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return url, drop


def _environment(var_dir: str, database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL",)}
    env.update(
        SAMTRYGG_VAR_DIR=var_dir,
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="benchmarks.api_bench_settings",
        PYTHONPATH=str(ROOT),
        DEBUG="0",
        # The throttle runs as in production, with a rate the load cannot reach.
        API_THROTTLE_RATE="100000000/s",
        LOG_LEVEL="WARNING",
    )
    return env


def _prepare(env: dict[str, str]) -> str:
    """Migrate, load the demo, and return an API key of Orsa's samordnare."""
    samtrygg = str(BIN / "samtrygg")
    subprocess.run([samtrygg, "migrate", "--no-input", "-v", "0"], env=env, check=True)
    subprocess.run([samtrygg, "loaddemo"], env=env, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    done = subprocess.run(
        [sys.executable, "-c", TOKEN_SCRIPT],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return done.stdout.strip().splitlines()[-1]


def _serve(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "benchmarks.api_bench_wsgi",
            "--preload",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/bare/", timeout=2).read()
            return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("bench_api: gunicorn startade inte")


def _cpu_seconds(server: subprocess.Popen[bytes]) -> float | None:
    """User and system CPU time of the server's worker processes so far (Linux /proc)."""
    ticks = 0
    try:
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue  # a process that ended meanwhile
            if int(fields[1]) == server.pid:  # fields[1] is the parent's id
                ticks += int(fields[11]) + int(fields[12])  # utime, stime
    except OSError:
        return None
    return ticks / os.sysconf("SC_CLK_TCK") if ticks else None


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _wrk(url: str, token: str, seconds: int) -> tuple[float, float, int, int]:
    """(requests/s, p99 ms, requests, non-2xx) measured by wrk."""
    done = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{seconds}s",
            "--latency",
            "-H",
            f"Authorization: Bearer {token}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    out = done.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)\s*$", out, re.MULTILINE)
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    p99_ms = float(p99.group(1)) * _UNITS[p99.group(2)] if p99 else float("nan")
    return rps, p99_ms, total, int(bad.group(1)) if bad else 0


def _python_load(url: str, token: str, seconds: int) -> tuple[float, float, int, int]:
    """The same measure from 32 threads with keep-alive connections (when wrk is missing)."""
    import http.client

    parts = urlsplit(url)
    latencies: list[float] = []
    bad = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def worker() -> None:
        mine: list[float] = []
        errors = 0
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                connection.request("GET", parts.path, headers={"Authorization": f"Bearer {token}"})
                response = connection.getresponse()
                response.read()
                if response.status >= 300:
                    errors += 1
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except (OSError, http.client.HTTPException):
                errors += 1
                connection.close()
            mine.append((time.perf_counter() - started) * 1000)
        with lock:
            latencies.extend(mine)
            bad[0] += errors

    threads = [threading.Thread(target=worker) for _ in range(CONNECTIONS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    p99 = latencies[int(len(latencies) * 0.99) - 1] if latencies else float("nan")
    return len(latencies) / elapsed, p99, len(latencies), bad[0]


Row = tuple[str, str, float, float, int, int, float | None]


def _measure(database: str, env: dict[str, str]) -> list[Row]:
    log(f"{database}: migrerar och läser in demon")
    token = _prepare(env)
    port = _free_port()
    server = _serve(env, port)
    load = _wrk if shutil.which("wrk") else _python_load
    rows: list[Row] = []
    try:
        for label, path in TARGETS:
            url = f"http://127.0.0.1:{port}{path}"
            load(url, token, 3)  # warm up: connections, caches, the first queries
            log(f"{database}: {label} i {SECONDS} s")
            before = _cpu_seconds(server)
            rps, p99, total, bad = load(url, token, SECONDS)
            after = _cpu_seconds(server)
            cpu_ms = (
                (after - before) * 1000 / total
                if before is not None and after is not None and total
                else None
            )
            rows.append((database, label, rps, p99, total, bad, cpu_ms))
    finally:
        server.terminate()
        server.wait(timeout=30)
    return rows


def main() -> int:
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="samtrygg-bench-api-") as tmp:
        sqlite_url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        rows += _measure("SQLite", _environment(tmp, sqlite_url))
        # the server of SAMTRYGG_BENCH_POSTGRES_URL, a database of this benchmark's own
        server = urlsplit(os.environ.get("SAMTRYGG_BENCH_POSTGRES_URL", PG_DEFAULT))
        fresh = _postgres(urlunsplit(server._replace(path="/samtrygg_api_bench")))
        if fresh is not None:
            url, drop = fresh
            try:
                with tempfile.TemporaryDirectory(prefix="samtrygg-bench-api-pg-") as pg_var:
                    rows += _measure("PostgreSQL", _environment(pg_var, url))
            finally:
                drop()  # type: ignore[operator]
    tool = "wrk" if shutil.which("wrk") else "Python-slinga (wrk saknas: lägre tal)"
    print()
    print(f"{CONNECTIONS} samtidiga anslutningar, {SECONDS} s per mål, gunicorn 2 arbetare, {tool}")
    print(
        f"{'databas':<11} {'mål':<14} {'förfr./s':>9} {'p99 ms':>8} {'antal':>8} {'fel':>5}"
        f" {'mot bar vy':>10} {'CPU-ms/förfr.':>13}"
    )
    bare = {database: rps for database, label, rps, *_rest in rows if label == TARGETS[0][0]}
    for database, label, rps, p99, total, bad, cpu_ms in rows:
        share = f"{rps / bare[database]:.1%}" if bare.get(database) else "–"
        cpu = f"{cpu_ms:.2f}" if cpu_ms is not None else "–"
        print(
            f"{database:<11} {label:<14} {rps:>9.0f} {p99:>8.1f} {total:>8} {bad:>5}"
            f" {share:>10} {cpu:>13}"
        )
    for database, label, rps, p99, *_rest in rows:
        if label == "delområden":
            verdict = "inom" if rps >= GOAL_RPS and p99 < GOAL_P99_MS else "UTANFÖR"
            print(
                f"{database}: delområden {rps:.0f}/s, p99 {p99:.0f} ms ({verdict} målet "
                f"≥{GOAL_RPS:.0f}/s och p99 <{GOAL_P99_MS:.0f} ms)"
            )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"Maskinens last efter körningen: {load:.1f} på {os.cpu_count()} kärnor.")
    return 1 if any(row[5] for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
