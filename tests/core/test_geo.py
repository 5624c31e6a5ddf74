"""Geometry: points resolve to their delområde and h3 cell, the kommun boundary (with its
500 m tolerance) is enforced, overlapping delområden pick the smaller one, and places follow
the delområden when those are drawn or deleted."""

from __future__ import annotations

import math
import re
from typing import Any

import h3
import numpy as np
import pytest
import shapely
from shapely.geometry import Point, shape

from samtrygg.core import services
from samtrygg.core.demo import _hexagon
from samtrygg.core.errors import DomainError
from samtrygg.core.models import Area, AuditEntry, Place

pytestmark = pytest.mark.django_db

EARTH_RADIUS_M = 6_371_008.8


def _haversine_m(lat: float, lon: float, lats: Any, lons: Any) -> Any:
    """Great-circle distance from one point to many, in metres (independent of the app's math)."""
    p1, p2 = math.radians(lat), np.radians(lats)
    dphi = p2 - p1
    dlmb = np.radians(lons) - math.radians(lon)
    a = np.sin(dphi / 2) ** 2 + math.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(a))


def distance_to_boundary_m(boundary: dict[str, Any], lat: float, lon: float) -> float:
    """Distance from a point to a boundary line, densified to about 5 m, by haversine."""
    dense = shapely.segmentize(shape(boundary).boundary, 0.00005)
    coords = shapely.get_coordinates(dense)
    return float(_haversine_m(lat, lon, coords[:, 1], coords[:, 0]).min())


def point_outside(
    boundary: dict[str, Any],
    start: tuple[float, float],
    metres: float,
    bearings: tuple[float, ...] = (180, 270, 0, 90, 225, 315),
) -> tuple[float, float]:
    """Walk outward from ``start`` until the point is ``metres`` (within 5 m) outside."""
    geom = shape(boundary)
    lat0, lon0 = start
    for bearing in bearings:
        dlat = math.cos(math.radians(bearing)) / 111_320.0
        dlon = math.sin(math.radians(bearing)) / (111_320.0 * math.cos(math.radians(lat0)))

        def at(s: float, dlat: float = dlat, dlon: float = dlon) -> tuple[float, float]:
            return lat0 + dlat * s, lon0 + dlon * s

        s = 0.0
        while geom.contains(Point(at(s)[1], at(s)[0])) and s < 60_000:
            s += 20.0
        inside_until = s
        while distance_to_boundary_m(boundary, *at(s)) < metres and s < inside_until + 3 * metres:
            s += 100.0
        low, high = max(inside_until, s - 100.0), s
        for _ in range(14):
            mid = (low + high) / 2
            if distance_to_boundary_m(boundary, *at(mid)) < metres:
                low = mid
            else:
                high = mid
        lat, lon = at(high)
        distance = distance_to_boundary_m(boundary, lat, lon)
        if not geom.contains(Point(lon, lat)) and metres <= distance <= metres + 5:
            return lat, lon
    raise AssertionError(f"no point {metres} m outside found")


def _actor(tenant: Any, actor_of: Any, role: str = "samordnare") -> Any:
    return actor_of(tenant.user(role), tenant.partnership)


def _totals() -> tuple[int, int, int]:
    return Place.objects.count(), Area.objects.count(), AuditEntry.objects.count()


ORSA_CENTRE = (61.1205, 14.6160)


def test_point_resolves_to_its_area_and_h3_cell(orsa: Any, actor_of: Any) -> None:
    actor = _actor(orsa, actor_of)
    lat, lon = 61.1210, 14.6170  # inside the fixture's 600 m hexagon
    place = services.create_place(actor, name="Kiosken", type="ovrigt", lat=lat, lon=lon)
    place.refresh_from_db()
    assert place.area_id == orsa.area.pk
    expected = h3.latlng_to_cell(lat, lon, 9)
    assert h3.int_to_str(place.h3_cell) == expected
    assert h3.get_resolution(h3.int_to_str(place.h3_cell)) == 9


def test_point_outside_every_area_has_no_area_but_a_cell(orsa: Any, actor_of: Any) -> None:
    actor = _actor(orsa, actor_of)
    lat, lon = 61.1500, 14.7000
    assert shape(orsa.partnership.municipality.boundary).contains(Point(lon, lat))
    place = services.create_place(actor, name="Skogsvägen", type="ovrigt", lat=lat, lon=lon)
    place.refresh_from_db()
    assert place.area_id is None
    assert h3.int_to_str(place.h3_cell) == h3.latlng_to_cell(lat, lon, 9)


def test_moving_a_place_updates_area_and_cell(orsa: Any, actor_of: Any) -> None:
    actor = _actor(orsa, actor_of)
    place = services.create_place(actor, name="Flyttbar", type="park", lat=61.1500, lon=14.7000)
    services.update_place(actor, place, name="Flyttbar", type="park", lat=61.1206, lon=14.6161)
    place.refresh_from_db()
    assert place.area_id == orsa.area.pk
    assert h3.int_to_str(place.h3_cell) == h3.latlng_to_cell(61.1206, 14.6161, 9)


def test_place_two_km_outside_the_kommun_is_refused(orsa: Any, actor_of: Any) -> None:
    boundary = orsa.partnership.municipality.boundary
    lat, lon = point_outside(boundary, ORSA_CENTRE, 2000)
    actor = _actor(orsa, actor_of)
    before = _totals()
    with pytest.raises(DomainError) as info:
        services.create_place(actor, name="Långt bort", type="torg", lat=lat, lon=lon)
    message = info.value.message
    assert "Orsa kommun" in message
    assert re.search(r"\b2[.,]0 km utanför", message), message
    assert _totals() == before


def test_place_700_m_outside_is_refused_but_300_m_is_accepted(orsa: Any, actor_of: Any) -> None:
    boundary = orsa.partnership.municipality.boundary
    actor = _actor(orsa, actor_of)
    far_lat, far_lon = point_outside(boundary, ORSA_CENTRE, 700)
    before = _totals()
    with pytest.raises(DomainError, match="utanför Orsa kommun"):
        services.create_place(actor, name="Strax utanför", type="torg", lat=far_lat, lon=far_lon)
    assert _totals() == before

    lat, lon = point_outside(boundary, ORSA_CENTRE, 300)
    assert not shape(boundary).contains(Point(lon, lat))
    place = services.create_place(actor, name="Vid gränsen", type="torg", lat=lat, lon=lon)
    place.refresh_from_db()
    assert (place.lat, place.lon) == (lat, lon)
    assert place.area_id is None
    assert h3.int_to_str(place.h3_cell) == h3.latlng_to_cell(lat, lon, 9)


def test_overlapping_areas_pick_the_smaller(orsa: Any, actor_of: Any) -> None:
    actor = _actor(orsa, actor_of)
    lat, lon = 61.1500, 14.7000
    # The small one first, so that order of creation cannot be what decides.
    small = services.create_area(actor, name="Kvarteret", geometry=_hexagon(lat, lon, 250))
    big = services.create_area(actor, name="Stadsdelen", geometry=_hexagon(lat, lon, 2000))
    inner = services.create_place(actor, name="Innergården", type="ovrigt", lat=lat, lon=lon)
    outer = services.create_place(
        actor, name="Ytterkanten", type="ovrigt", lat=lat + 1000 / 111_320.0, lon=lon
    )
    inner.refresh_from_db()
    outer.refresh_from_db()
    assert inner.area_id == small.pk
    assert outer.area_id == big.pk


def test_places_follow_areas_drawn_and_deleted(orsa: Any, actor_of: Any) -> None:
    actor = _actor(orsa, actor_of)
    lat, lon = 61.1500, 14.7000
    place = services.create_place(actor, name="Lekplatsen", type="park", lat=lat, lon=lon)
    assert Place.objects.get(pk=place.pk).area_id is None

    big = services.create_area(actor, name="Stadsdelen", geometry=_hexagon(lat, lon, 2000))
    assert Place.objects.get(pk=place.pk).area_id == big.pk

    small = services.create_area(actor, name="Kvarteret", geometry=_hexagon(lat, lon, 250))
    assert Place.objects.get(pk=place.pk).area_id == small.pk

    services.delete_area(actor, small)
    assert Place.objects.get(pk=place.pk).area_id == big.pk

    # Redrawing the big area away from the place leaves the place outside every area.
    services.update_area(actor, big, name="Stadsdelen", geometry=_hexagon(lat + 0.05, lon, 1000))
    assert Place.objects.get(pk=place.pk).area_id is None

    services.update_area(actor, big, name="Stadsdelen", geometry=_hexagon(lat, lon, 1000))
    assert Place.objects.get(pk=place.pk).area_id == big.pk
    services.delete_area(actor, big)
    assert Place.objects.get(pk=place.pk).area_id is None


def test_points_of_other_partnership_are_judged_by_its_own_kommun(
    orsa: Any, gislaved: Any, actor_of: Any
) -> None:
    orsa_actor = _actor(orsa, actor_of)
    gislaved_actor = _actor(gislaved, actor_of)
    with pytest.raises(DomainError, match="utanför Orsa kommun"):
        services.create_place(orsa_actor, name="Fel kommun", type="torg", lat=57.3040, lon=13.5400)
    place = services.create_place(
        gislaved_actor, name="Rätt kommun", type="torg", lat=57.3041, lon=13.5401
    )
    place.refresh_from_db()
    assert place.area_id == gislaved.area.pk


@pytest.mark.parametrize("lat, lon", [(91.0, 14.6), (61.1, 181.0), (float("nan"), 14.6)])
def test_impossible_coordinates_are_refused(
    orsa: Any, actor_of: Any, lat: float, lon: float
) -> None:
    before = _totals()
    with pytest.raises(DomainError, match="Ogiltiga koordinater"):
        services.create_place(
            _actor(orsa, actor_of), name="Ingenstans", type="torg", lat=lat, lon=lon
        )
    assert _totals() == before


def test_the_distance_outside_the_kommun_is_written_the_swedish_way(orsa: Any) -> None:
    """257,8 km in Swedish (decimal comma), 257.8 km in English."""
    from django.utils import translation

    from samtrygg.core.errors import DomainError
    from samtrygg.core.geo import geometry_for

    locator = geometry_for(orsa.partnership)
    with translation.override("sv"), pytest.raises(DomainError) as swedish:
        locator.locate(57.30, 13.54)
    assert re.search(r"\d+,\d km utanför Orsa kommun", swedish.value.message)
    with translation.override("en"), pytest.raises(DomainError) as english:
        locator.locate(57.30, 13.54)
    assert re.search(r"\d+\.\d km outside Orsa municipality", english.value.message)
