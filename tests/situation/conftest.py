"""Fixtures for lägesbilder: jobs run eagerly in the test's own thread and transaction."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture
def eager() -> Iterator[Any]:
    """Run jobs in the test's own thread and transaction (Celery reads its conf at import)."""
    from samtrygg.celery import app

    saved = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    try:
        yield app
    finally:
        app.conf.task_always_eager, app.conf.task_eager_propagates = saved
