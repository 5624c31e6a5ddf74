from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from samtrygg import __version__


def samtrygg(request: HttpRequest) -> dict[str, Any]:
    return {
        "actor": getattr(request, "actor", None),
        "partnerships": getattr(request, "partnerships", []),
        "map_tile_url": settings.MAP_TILE_URL,
        "samtrygg_version": __version__,
    }
