"""An import killed halfway and run again leaves every event exactly once, in its latest version.

For real: ``samtrygg import police-events`` runs as a subprocess against a file-backed SQLite
database (a copy of one that ``samtrygg migrate`` made in a subprocess, see
``migrated_sqlite`` in tests/conftest.py), is killed with SIGKILL once some batches are
committed, and is run again. It runs in the SQLite suite (``make test-sqlite``) and is
skipped when the suite runs on PostgreSQL, since it never touches the suite's database.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.sources.conftest import EVENTS_SAMPLE

ROOT = Path(__file__).resolve().parents[2]
EVENTS = 6000  # two versions each: 12 000 lines, 6 batches of 2000


def _environment(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        SAMTRYGG_VAR_DIR=str(tmp / "var"),
        DJANGO_SETTINGS_MODULE="samtrygg.settings",
        PYTHONUNBUFFERED="1",
    )
    return env


def _revisions(path: Path) -> None:
    """Every event in two versions (JSON Lines of revisions): all first versions, then all
    second ones, so a kill after the first batches leaves only first versions stored."""
    templates = [json.loads(line) for line in EVENTS_SAMPLE.read_text().splitlines()]
    with path.open("w", encoding="utf-8") as out:
        for version, seen in ((1, "2025-01-01T10:00:00Z"), (2, "2025-01-02T10:00:00Z")):
            for index in range(EVENTS):
                event = dict(templates[index % len(templates)])
                event["id"] = 50_000_000 + index
                event["summary"] = f"version {version}"
                record = {"id": event["id"], "version": version, "first_seen_utc": seen}
                out.write(json.dumps({**record, "event": event}, ensure_ascii=False) + "\n")


def _count(db: Path, where: str = "1 = 1") -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            sql = f"SELECT COUNT(*) FROM sources_policeevent WHERE {where}"
            return int(conn.execute(sql).fetchone()[0])
    except sqlite3.OperationalError:
        return 0


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "sqlite").startswith("sqlite"),
    reason="runs in the SQLite suite: it uses a SQLite file of its own, whatever the suite's",
)
def test_killed_import_completes_on_rerun(tmp_path: Path, migrated_sqlite: Any) -> None:
    env = _environment(tmp_path)
    command = [sys.executable, "-m", "samtrygg.cli"]
    db = migrated_sqlite(tmp_path / "db.sqlite3")
    feed = tmp_path / "revisions.jsonl"
    _revisions(feed)

    # The data commands run no system checks, so the import starts within a second or two.
    importing = [*command, "import", "police-events", str(feed)]
    process = subprocess.Popen(
        importing, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 120
    while _count(db) == 0 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL, (
        f"the import ended before it could be killed: {err.decode()[-2000:]}"
    )
    # Some events are in, and not every one in its latest version yet.
    assert _count(db) > 0
    assert _count(db, "summary = 'version 2'") < EVENTS

    rerun = subprocess.run(
        importing, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert "0 överhoppade" in rerun.stdout
    assert not rerun.stdout.startswith("0 nya")  # the rerun completed what the kill left

    with sqlite3.connect(db) as conn:
        assert conn.execute(
            "SELECT COUNT(*), COUNT(DISTINCT id) FROM sources_policeevent"
        ).fetchone() == (EVENTS, EVENTS)
        latest = conn.execute(
            "SELECT COUNT(*) FROM sources_policeevent "
            "WHERE summary = 'version 2' AND version_count = 2"
        ).fetchone()[0]
        assert latest == EVENTS
        versions = conn.execute(
            "SELECT COUNT(*), COUNT(DISTINCT event_id) FROM sources_policeeventversion"
        ).fetchone()
        assert versions == (EVENTS, EVENTS)
        earlier = conn.execute(
            "SELECT COUNT(*) FROM sources_policeeventversion WHERE raw LIKE '%version 1%'"
        ).fetchone()[0]
        assert earlier == EVENTS
