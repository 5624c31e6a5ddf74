"""``samtrygg serve`` runs the site through gunicorn with the job worker and the schedule
beside it, says where it listens, and writes nothing outside var/ (a demo run leaves the
repository's ``git status`` as it was)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _git_status() -> str:
    return subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


# What the job worker and the schedule log once they have started (and declared their queues).
STARTED = (" ready.", "beat: Starting...")


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "sqlite").startswith("sqlite"),
    reason="runs in the SQLite suite: the server has a SQLite file of its own (not the suite DB)",
)
def test_serve_answers_on_the_given_port_and_leaves_the_repository_clean(
    tmp_path: Path, migrated_sqlite: Any
) -> None:
    port = _free_port()
    before = _git_status()
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "EMAIL_URL")
    }
    env["SAMTRYGG_VAR_DIR"] = str(tmp_path / "var")
    samtrygg = [sys.executable, "-m", "django"]
    env["DJANGO_SETTINGS_MODULE"] = "samtrygg.settings"
    migrated_sqlite(tmp_path / "var" / "samtrygg.sqlite3")  # the default database in var/
    server = subprocess.Popen(
        [*samtrygg, "serve", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: list[str] = []

    def read() -> None:
        for line in server.stdout or ():
            lines.append(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        answer = None
        deadline = time.monotonic() + 240  # a loaded machine starts three Django processes
        while time.monotonic() < deadline and answer is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/logga-in/", timeout=5) as r:
                    answer = (r.status, r.headers.get("Server", ""))
            except OSError:
                time.sleep(0.2)
        # the worker and the schedule start beside the web server: wait until both say so
        while answer is not None and time.monotonic() < deadline:
            if all(any(mark in line for line in list(lines)) for mark in STARTED):
                break
            time.sleep(0.2)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
        reader.join(timeout=60)
    output = "".join(lines)
    assert answer is not None, f"the server never answered:\n{output}"
    assert answer[0] == 200
    assert "gunicorn" in answer[1].lower()
    assert f"http://127.0.0.1:{port}/" in output
    assert "127.0.0.1:8000" not in output
    assert all(mark in output for mark in STARTED), output
    assert _git_status() == before
    assert (tmp_path / "var" / "celery" / "control").is_dir()
