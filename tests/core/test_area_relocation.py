"""Reports follow the delområden once per service call that changes them: importing 20 areas
scans the partnership's reports once, not once per area."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from samtrygg.core import services
from samtrygg.core.dataio import system_actor
from samtrygg.observations.models import Observation
from tests import tenancy
from tests.conftest import _hexagon


def _scans(queries: CaptureQueriesContext) -> int:
    table = Observation._meta.db_table
    return sum(
        1
        for q in queries.captured_queries
        # a plain SELECT, or on PostgreSQL the server-side cursor of .iterator()
        if q["sql"].lstrip().upper().startswith(("SELECT", "DECLARE"))
        and f'FROM "{table}"' in q["sql"]
    )


def test_importing_twenty_areas_scans_the_reports_once(orsa: Any) -> None:
    observation = tenancy._observation(orsa)
    assert observation.area_id == orsa.area.pk
    features = [
        {
            "type": "Feature",
            "properties": {"name": f"Område {i}"},
            "geometry": _hexagon(orsa.place.lat + 0.006 * i, orsa.place.lon, 250),
        }
        for i in range(1, 21)
    ]
    # the first new area lies over the report's place, replacing the old centre's geometry
    features[0]["properties"]["name"] = orsa.area.name
    features[0]["geometry"] = _hexagon(orsa.place.lat, orsa.place.lon, 100)
    with CaptureQueriesContext(connection) as queries:
        saved = services.import_areas(
            system_actor(orsa.partnership), {"type": "FeatureCollection", "features": features}
        )
    assert len(saved) == 20
    assert _scans(queries) == 1
    observation.refresh_from_db()
    assert observation.area_id == orsa.area.pk


def test_a_deleted_area_lets_go_of_its_reports(orsa: Any) -> None:
    observation = tenancy._observation(orsa)
    actor = system_actor(orsa.partnership)
    with CaptureQueriesContext(connection) as queries:
        services.delete_area(actor, orsa.area)
    assert _scans(queries) == 1
    observation.refresh_from_db()
    assert observation.area_id is None
