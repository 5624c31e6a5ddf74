"""A job whose worker dies (SIGKILL, out of memory, the server stopped) does not show
"running 70 %" forever: the sweep marks it failed with a message the user sees, the upload it
left in var/imports/ is deleted, and the file can be imported again. Files of jobs that end
normally are deleted too, either way."""

from __future__ import annotations

import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from samtrygg.core import jobs
from samtrygg.core.models import JobRun

ROOT = Path(__file__).resolve().parents[2]
IMPORT_JOB = "samtrygg.observations.import_file"


@pytest.fixture
def var_dir(settings: Any, tmp_path: Any) -> Path:
    settings.VAR_DIR = tmp_path
    return tmp_path


def _run(task_id: str, status: str, silent_for: dt.timedelta, partnership: Any = None) -> Any:
    beat = timezone.now() - silent_for
    return JobRun.objects.create(
        task_id=task_id,
        name=IMPORT_JOB,
        status=status,
        partnership=partnership,
        started_at=beat,
        heartbeat_at=beat,
        progress=70,
        message="Kontrollerar rader: 4200 av 6000",
    )


def _age(path: Path, minutes: int) -> None:
    past = time.time() - minutes * 60
    os.utime(path, (past, past))


@pytest.mark.django_db
def test_the_sweep_fails_silent_jobs_and_deletes_what_they_left(var_dir: Path) -> None:
    dead = _run("dead-job", "running", dt.timedelta(minutes=20))
    alive = _run("alive-job", "running", dt.timedelta(minutes=1))
    queued = JobRun.objects.create(task_id="queued-job", name=IMPORT_JOB)
    files = {
        name: jobs.job_file(name, ".csv")
        for name in ("dead-job", "alive-job", "queued-job", "ended-job")
    }
    for path in files.values():
        path.write_text("datum\n")
        _age(path, 30)
    JobRun.objects.create(task_id="ended-job", name=IMPORT_JOB, status="succeeded")

    assert jobs.sweep_stale_jobs() == 1

    dead.refresh_from_db()
    assert dead.status == "failed" and dead.finished_at is not None
    assert "Jobbet avbröts" in dead.message and "Ladda upp filen igen" in dead.message
    alive.refresh_from_db()
    queued.refresh_from_db()
    assert (alive.status, queued.status) == ("running", "queued")
    assert not files["dead-job"].exists() and not files["ended-job"].exists()
    assert files["alive-job"].exists() and files["queued-job"].exists()
    # A second sweep changes nothing.
    assert jobs.sweep_stale_jobs() == 0


@pytest.mark.django_db
def test_a_fresh_upload_without_its_job_row_yet_is_kept(var_dir: Path) -> None:
    path = jobs.job_file("not-yet-queued", ".xlsx")
    path.write_bytes(b"PK")
    jobs.sweep_stale_jobs()
    assert path.exists()
    _age(path, 10)
    jobs.sweep_stale_jobs()
    assert not path.exists()


@pytest.mark.django_db
def test_progress_is_a_sign_of_life(var_dir: Path) -> None:
    run = _run("busy-job", "running", dt.timedelta(minutes=20))
    jobs.set_progress("busy-job", 80, "Sparar händelser")
    assert jobs.sweep_stale_jobs() == 0
    run.refresh_from_db()
    assert run.status == "running"


@pytest.mark.django_db
def test_the_user_sees_the_failure_and_can_import_again(
    orsa: Any, login: Any, var_dir: Path
) -> None:
    run = _run("crashed", "running", dt.timedelta(hours=2), orsa.partnership)
    jobs.sweep_stale_jobs()
    client = login(orsa.user("rapportor"), orsa.partnership)
    page = client.get(reverse("import-job", args=[run.task_id])).content.decode()
    assert "Misslyckades" in page and "Jobbet avbröts" in page
    assert "hx-get" not in page  # no more polling
    assert reverse("observation-import") in page


def test_the_sweep_is_scheduled_and_dead_workers_hand_jobs_back(settings: Any) -> None:
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "samtrygg.core.sweep_stale_jobs" in schedule
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST


# --- For real: an import job killed with SIGKILL halfway ---------------------------------------

_SETUP = """
import django, sys
django.setup()
from tests.conftest import build_tenant
tenant = build_tenant("2034", "LPO Mora", 61.1205, 14.6160, "ORSA")
print(tenant.users["rapportor"].pk, tenant.partnership.pk, tenant.place.name)
"""

_IMPORT = """
import django, sys
django.setup()
from samtrygg.core.jobs import job_file
from samtrygg.core.models import JobRun
from samtrygg.observations.tasks import import_file
user_id, partnership_id, task_id = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
path = job_file(task_id, ".csv")
path.write_bytes(open(sys.argv[4], "rb").read())
JobRun.objects.create(task_id=task_id, name=import_file.name, partnership_id=partnership_id)
import_file.apply(
    kwargs={"path": str(path), "partnership_id": partnership_id, "user_id": user_id},
    task_id=task_id,
)
"""

_SWEEP = """
import datetime as dt, django
django.setup()
from samtrygg.core.jobs import sweep_stale_jobs
print(sweep_stale_jobs(stale_after=dt.timedelta(0)))
"""


def _python(env: dict[str, str], script: str, *args: str, **kwargs: Any) -> Any:
    return subprocess.run(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        **kwargs,
    )


def _job(db: Path, task_id: str) -> tuple[str, int, str] | None:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            row = conn.execute(
                "SELECT status, progress, message FROM core_jobrun WHERE task_id = ?", (task_id,)
            ).fetchone()
            return (str(row[0]), int(row[1]), str(row[2])) if row else None
    except sqlite3.OperationalError:
        return None


def _observations(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM observations_observation").fetchone()[0])


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "sqlite").startswith("sqlite"),
    reason="runs in the SQLite suite: it uses a SQLite file of its own, whatever the suite's",
)
def test_an_import_job_killed_halfway_is_marked_failed_and_can_run_again(
    tmp_path: Path, migrated_sqlite: Any
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        SAMTRYGG_VAR_DIR=str(tmp_path / "var"),
        DJANGO_SETTINGS_MODULE="samtrygg.settings",
        PYTHONUNBUFFERED="1",
    )
    db = migrated_sqlite(tmp_path / "db.sqlite3")  # as `samtrygg migrate` leaves it
    imports = tmp_path / "var" / "imports"
    made = _python(env, _SETUP)
    assert made.returncode == 0, made.stderr[-2000:]
    user_id, partnership_id, place = made.stdout.split(maxsplit=2)
    upload = tmp_path / "stor.csv"
    day = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    lines = ["datum,tid,tidsband,kategori,plats,lat,lon,beskrivning,bedomning"]
    lines += [f"{day},,kväll,Klotter,{place.strip()},,,Klotter {i}.,2" for i in range(6000)]
    upload.write_text("\n".join(lines) + "\n", encoding="utf-8")

    process = subprocess.Popen(
        [sys.executable, "-c", _IMPORT, user_id, partnership_id, "killed", str(upload)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while process.poll() is None and time.monotonic() < deadline:
        job = _job(db, "killed")
        if job and job[0] == "running" and job[1] >= 20:
            break
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    _out, err = process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL, err.decode()[-2000:]
    # The stuck state of the report: "running", partway, the upload left behind.
    status, progress, _message = _job(db, "killed") or ("", 0, "")
    assert status == "running" and 20 <= progress < 100
    assert (imports / "killed.csv").exists()
    assert _observations(db) == 0

    swept = _python(env, _SWEEP)
    assert swept.returncode == 0, swept.stderr[-2000:]
    assert swept.stdout.strip() == "1"
    status, _progress, message = _job(db, "killed") or ("", 0, "")
    assert status == "failed" and "Jobbet avbröts" in message
    assert not (imports / "killed.csv").exists()
    assert _observations(db) == 0

    rerun = _python(env, _IMPORT, user_id, partnership_id, "again", str(upload))
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert (_job(db, "again") or ("",))[0] == "succeeded"
    assert _observations(db) == 6000
    assert not list(imports.iterdir())
