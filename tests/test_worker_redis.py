"""One job through a real Celery worker on Redis, writing to the test database."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from typing import Any

import pytest
from celery import Celery
from django.db import connection

REDIS_URL = "redis://127.0.0.1:6379/15"


def _database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = settings.get("USER") or "postgres"
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    return f"postgres://{user}@{host}:{port}/{settings['NAME']}"


def _redis_available() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_job_runs_through_a_real_worker_on_redis(tmp_path: Any) -> None:
    if not _redis_available():
        pytest.fail("Redis svarar inte på 127.0.0.1:6379 (make test startar den).")
    import redis

    from samtrygg.core.models import JobRun

    redis.Redis.from_url(REDIS_URL).flushdb()
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "REDIS_URL": REDIS_URL,
        "DATABASE_URL": _database_url(),
        "SAMTRYGG_VAR_DIR": str(tmp_path),
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "samtrygg",
            "worker",
            "--pool",
            "solo",
            "--queues",
            queue,
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        sender = Celery(broker=REDIS_URL)
        result = sender.send_task(
            "samtrygg.core.ping", kwargs={"idempotency_key": "redis-test"}, queue=queue
        )
        deadline = time.monotonic() + 60
        run = None
        while time.monotonic() < deadline:
            run = JobRun.objects.filter(task_id=result.id).first()
            if run is not None and run.status in ("succeeded", "failed"):
                break
            time.sleep(0.3)
        assert run is not None, "arbetaren registrerade aldrig jobbet"
        assert run.status == "succeeded", (run.status, run.message)
        assert run.name == "samtrygg.core.ping"
        assert run.message == "Arbetaren svarar."
        assert run.started_at is not None and run.finished_at is not None
    finally:
        worker.terminate()
        try:
            output, _ = worker.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
        if run is None or run.status != "succeeded":
            print(output)
