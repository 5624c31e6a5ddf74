"""The Celery application: the one job engine for imports, reminders, digests and PDFs.

With REDIS_URL the broker is Redis; without it, kombu's filesystem transport under var/,
so the demo runs a real worker and schedule with no server to install.
"""

from __future__ import annotations

import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samtrygg.settings")

app = Celery("samtrygg")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def ensure_queue_folders() -> None:
    """The filesystem transport needs its folders before the first message."""
    options = app.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)


ensure_queue_folders()
