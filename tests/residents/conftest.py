"""Residents fixtures: a clean throttle for each test, and a form shown long enough ago."""

from __future__ import annotations

import time
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _fresh_throttle() -> Any:
    from samtrygg.residents.guard import _cache

    _cache().clear()
    yield
    _cache().clear()


@pytest.fixture
def token() -> str:
    """The tip form's signed timestamp, as if the form was shown a minute ago."""
    from samtrygg.residents import guard

    return guard.form_token(time.time() - 60)


@pytest.fixture
def tip_data(orsa: Any, token: str) -> dict[str, Any]:
    return {
        "category": "klotter",
        "place_kind": "plats",
        "place": str(orsa.place.pk),
        "description": "Klotter på muren vid gångtunneln, det har varit där en vecka.",
        "contact_email": "",
        "visad": token,
        "webbplats": "",
    }
