"""Fixtures for actions, meetings and safety walks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


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


@pytest.fixture
def coordinator(orsa: Any, actor_of: Any) -> Any:
    return actor_of(orsa.user("samordnare"), orsa.partnership)


def make_action(actor: Any, owner: Any, **overrides: Any) -> Any:
    from samtrygg.actions import services

    today = dt.date.today()
    fields = {
        "title": "Vuxennärvaro vid torget",
        "type": "vuxennarvaro",
        "owner": owner.pk,
        "start_date": today,
        "end_date": today + dt.timedelta(days=7),
        "planned_count": 3,
    }
    fields.update(overrides)
    return services.create_action(actor, services.ActionSpec(**fields))


def jpeg_with_exif() -> bytes:
    """A small JPEG carrying EXIF with a GPS position, a camera make and a comment."""
    import io

    from PIL import Image

    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "KameraTillverkare"  # Make
    exif[0x0110] = "Modell X"  # Model
    gps = {1: "N", 2: (61.0, 7.0, 13.0), 3: "E", 4: (14.0, 36.0, 58.0)}
    exif[0x8825] = gps
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), comment=b"hemlig kommentar")
    return out.getvalue()
