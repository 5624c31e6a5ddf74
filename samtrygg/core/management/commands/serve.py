"""``samtrygg serve``: the web server together with a job worker and the schedule.

For the demo and small installations. A larger installation runs gunicorn, ``celery worker``
and ``celery beat`` as separate services (docs/deployment.md).
"""

from __future__ import annotations

import ctypes
import signal
import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


def _die_with_parent() -> None:
    """On Linux, the worker gets SIGTERM when the server process dies, however it dies."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        return  # not Linux: stop() below ends the worker instead


class Command(BaseCommand):
    help = "Starta webbservern med en jobbarbetare och schemat (demo och små installationer)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--no-worker", action="store_true", help="starta ingen jobbarbetare")

    def handle(self, *args: Any, **options: Any) -> None:
        worker = None
        if not options["no_worker"]:
            worker = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "samtrygg",
                    "worker",
                    "--beat",
                    "--loglevel",
                    "INFO",
                    "--concurrency",
                    "2",
                    "--hostname",
                    "samtrygg@%h",
                ],
            )
            self.stdout.write(f"Jobbarbetaren och schemat körs (process {worker.pid}).")

        def stop(*_: Any) -> None:
            if worker and worker.poll() is None:
                worker.terminate()
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()
            sys.exit(0)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGHUP, stop)
        try:
            call_command("runserver", options["addrport"], use_reloader=False)
        finally:
            stop()
