"""``samtrygg serve``: the site through gunicorn, with a job worker and the schedule beside it.

For the demo and small installations. A larger installation runs gunicorn, ``celery worker``
and ``celery beat`` as separate services (docs/deployment.md). Django's development server is
never used: its own documentation says it must not serve production.
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser


def _die_with_parent() -> None:
    """On Linux, a child gets SIGTERM when this process dies, however it dies."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        return  # not Linux: stop() below ends the children instead


def _no_control_socket() -> list[str]:
    """Gunicorn 27 opens a control socket in ~/.gunicorn, outside var/: not wanted here."""
    import gunicorn

    major = int(str(gunicorn.__version__).split(".", 1)[0])
    return ["--no-control-socket"] if major >= 27 else []


def _address(addrport: str) -> tuple[str, int]:
    host, _sep, port = addrport.rpartition(":")
    if not port.isascii() or not port.isdigit() or not 0 < int(port) < 65536:
        raise CommandError(
            f"Ange adressen som VÄRD:PORT, t.ex. 127.0.0.1:8000 (fick {addrport!r})."
        )
    return host or "127.0.0.1", int(port)


class Command(BaseCommand):
    help = "Starta webbservern (gunicorn) med en jobbarbetare och schemat."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "addrport", nargs="?", default=os.environ.get("ADDR") or "127.0.0.1:8000"
        )
        parser.add_argument("--no-worker", action="store_true", help="starta ingen jobbarbetare")
        parser.add_argument(
            "--workers", type=int, default=2, help="antal webbprocesser (standard 2)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = _address(options["addrport"])
        children: list[subprocess.Popen[bytes]] = []
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
                preexec_fn=_die_with_parent,
            )
            children.append(worker)
            self.stdout.write(f"Jobbarbetaren och schemat körs (process {worker.pid}).")
        web = subprocess.Popen(  # noqa: S603 - the address is parsed by _address above
            [
                sys.executable,
                "-m",
                "gunicorn",
                "samtrygg.wsgi:application",
                "--bind",
                f"{host}:{port}",
                "--workers",
                str(max(1, options["workers"])),
                "--access-logfile",
                "-",
                "--worker-tmp-dir",
                str(settings.VAR_DIR),
                *_no_control_socket(),
            ],
            preexec_fn=_die_with_parent,
        )
        children.append(web)
        shown = f"[{host}]" if ":" in host else host
        self.stdout.write(
            self.style.SUCCESS(f"Samtrygg körs på http://{shown}:{port}/ (avsluta med Ctrl-C).")
        )
        self.stdout.flush()

        def stop(*_: Any) -> None:
            for child in children:
                if child.poll() is None:
                    child.terminate()
            deadline = time.monotonic() + 10
            for child in children:
                try:
                    child.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    child.kill()
            sys.exit(0)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGHUP, stop)
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
            failed = [child for child in children if child.poll()]
            if failed:
                raise CommandError("En del av Samtrygg stannade; se loggen ovan.")
        except KeyboardInterrupt:
            # Ctrl-C is how the demo is ended: a clean stop, not an error
            self.stdout.write("Stänger av …")
        finally:
            stop()
