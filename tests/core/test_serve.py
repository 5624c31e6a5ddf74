"""``samtrygg serve`` runs the site through gunicorn with the job worker and the schedule
beside it, says where it listens, and writes nothing outside var/ (a demo run leaves the
repository's ``git status`` as it was)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

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


def test_serve_answers_on_the_given_port_and_leaves_the_repository_clean(tmp_path: Path) -> None:
    port = _free_port()
    before = _git_status()
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "EMAIL_URL")
    }
    env["SAMTRYGG_VAR_DIR"] = str(tmp_path / "var")
    samtrygg = [sys.executable, "-m", "django"]
    env["DJANGO_SETTINGS_MODULE"] = "samtrygg.settings"
    subprocess.run([*samtrygg, "migrate", "-v", "0"], cwd=ROOT, env=env, check=True, timeout=300)
    server = subprocess.Popen(
        [*samtrygg, "serve", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        answer = None
        deadline = time.monotonic() + 240  # a loaded machine starts three Django processes
        while time.monotonic() < deadline and answer is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/logga-in/", timeout=5) as r:
                    answer = (r.status, r.headers.get("Server", ""))
            except OSError:
                time.sleep(1)
        if answer is not None:
            time.sleep(5)  # let the worker and the schedule start and declare their queues
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        output, _ = server.communicate(timeout=60)
    assert answer is not None, f"the server never answered:\n{output}"
    assert answer[0] == 200
    assert "gunicorn" in answer[1].lower()
    assert f"http://127.0.0.1:{port}/" in output
    assert "127.0.0.1:8000" not in output
    assert _git_status() == before
    assert (tmp_path / "var" / "celery" / "control").is_dir()
