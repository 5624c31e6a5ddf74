"""Geometry: validating polygons, placing points in delområden and h3 cells.

A point entered anywhere is resolved by polygon (shapely STRtree) to its delområde and to its
h3 cell. A point up to ``BOUNDARY_TOLERANCE_M`` outside the kommun boundary counts as inside
(coasts and generalised borders); farther is refused. Distances are computed in a local
equirectangular projection around the point, which is accurate to well under a metre at the
scale of 500 m.
"""

from __future__ import annotations

import json
import math
import threading
from dataclasses import dataclass
from typing import Any

import h3
import shapely
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.strtree import STRtree

from samtrygg.core.errors import DomainError

BOUNDARY_TOLERANCE_M = 500.0
H3_RESOLUTION = 9
_M_PER_DEG_LAT = 111_320.0


def h3_cell(lat: float, lon: float) -> int:
    """The h3 cell (resolution 9, about 0.1 km²) of a point, as a signed 64-bit integer."""
    return int(h3.str_to_int(h3.latlng_to_cell(lat, lon, H3_RESOLUTION)))


# Deeper than any real GeoJSON (a MultiPolygon's coordinates are four levels deep).
MAX_JSON_DEPTH = 64


def load_geojson(data: Any) -> Any:
    """GeoJSON given as text or bytes, parsed; anything else as it is. Anything unreadable
    (including absurd nesting, which would exhaust the parser's recursion) is refused with a
    Swedish message."""
    if isinstance(data, str | bytes):
        try:
            data = json.loads(data)
        except RecursionError as exc:
            raise DomainError(_("Filen är inte giltig GeoJSON: den är för djupt nästlad.")) from exc
        except ValueError as exc:
            raise DomainError(
                _("Filen är inte giltig GeoJSON (JSON-fel: %(err)s).") % {"err": exc}
            ) from exc
    if _depth_exceeds(data, MAX_JSON_DEPTH):
        raise DomainError(_("Filen är inte giltig GeoJSON: den är för djupt nästlad."))
    return data


def _depth_exceeds(data: Any, limit: int) -> bool:
    stack = [(data, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            stack.extend((value, depth + 1) for value in item.values())
        elif isinstance(item, list):
            stack.extend((value, depth + 1) for value in item if isinstance(value, list | dict))
    return False


def parse_polygon(data: Any) -> dict[str, Any]:
    """Validate a GeoJSON Polygon/MultiPolygon (geometry, Feature, or text) for a delområde.

    Returns the geometry as a GeoJSON dict. Raises DomainError with a Swedish message for
    anything that is not a valid, non-empty polygon in WGS84 within Sweden's extent.
    """
    data = load_geojson(data)
    if not isinstance(data, dict):
        raise DomainError(_("GeoJSON-geometrin måste vara ett objekt."))
    if data.get("type") == "Feature":
        data = data.get("geometry") or {}
    if not isinstance(data, dict) or data.get("type") not in ("Polygon", "MultiPolygon"):
        raise DomainError(
            _("Ett delområde måste vara en polygon (GeoJSON Polygon eller MultiPolygon).")
        )
    if _depth_exceeds(data, MAX_JSON_DEPTH):
        raise DomainError(_("Polygonen kunde inte läsas: koordinaterna är för djupt nästlade."))
    try:
        geom = shape(data)
    except Exception as exc:
        raise DomainError(_("Polygonen kunde inte läsas: koordinaterna är ofullständiga.")) from exc
    if geom.is_empty:
        raise DomainError(_("Polygonen är tom."))
    if not geom.is_valid:
        reason = shapely.is_valid_reason(geom)
        if "Self-intersection" in reason:
            raise DomainError(
                _("Polygonen korsar sig själv. Rita om gränsen så att linjerna inte korsas.")
            )
        raise DomainError(_("Polygonen är ogiltig (%(reason)s).") % {"reason": reason})
    if geom.area == 0:
        raise DomainError(_("Polygonen har ingen yta."))
    minx, miny, maxx, maxy = geom.bounds
    if not (minx >= 10.0 and maxx <= 25.0 and miny >= 55.0 and maxy <= 69.5):
        raise DomainError(
            _(
                "Polygonen ligger utanför Sverige. Koordinaterna ska vara longitud, latitud "
                "i WGS84 (t.ex. 14.9, 61.1)."
            )
        )
    # Through GeoJSON text, so coordinates are lists exactly as they come back from the
    # database: an unchanged polygon then compares equal and a re-import changes nothing.
    result: dict[str, Any] = json.loads(shapely.to_geojson(geom))
    return result


def _distance_m(geom: BaseGeometry, lat: float, lon: float) -> float:
    """Distance in metres from a point to a geometry, in a projection local to the point."""
    kx = _M_PER_DEG_LAT * math.cos(math.radians(lat))

    def project(coords: Any) -> Any:
        out = coords.copy()
        out[:, 0] = (coords[:, 0] - lon) * kx
        out[:, 1] = (coords[:, 1] - lat) * _M_PER_DEG_LAT
        return out

    return float(shapely.transform(geom, project).distance(Point(0.0, 0.0)))


@dataclass(frozen=True)
class Located:
    """Where a point landed: its delområde (if any) and h3 cell."""

    area_id: int | None
    h3_cell: int


class PartnershipGeometry:
    """The kommun boundary and the delområden of one partnership, indexed for lookups."""

    def __init__(
        self,
        municipality_name: str,
        boundary: dict[str, Any] | None,
        areas: list[tuple[int, dict[str, Any]]],
    ) -> None:
        self.municipality_name = municipality_name
        self.boundary = shape(boundary) if boundary else None
        if self.boundary is not None:
            shapely.prepare(self.boundary)
        self.area_ids = [area_id for area_id, _geom in areas]
        self.area_geoms = [shape(geom) for _id, geom in areas]
        self.tree = STRtree(self.area_geoms) if self.area_geoms else None

    def locate(self, lat: float, lon: float) -> Located:
        """Resolve a point; raises DomainError when it lies more than 500 m outside the kommun."""
        if not (-90 <= lat <= 90 and -180 <= lon <= 180) or math.isnan(lat) or math.isnan(lon):
            raise DomainError(_("Ogiltiga koordinater."))
        point = Point(lon, lat)
        if self.boundary is not None and not self.boundary.contains(point):
            distance = _distance_m(self.boundary, lat, lon)
            if distance > BOUNDARY_TOLERANCE_M:
                raise DomainError(
                    _(
                        "Platsen ligger %(km)s km utanför %(kommun)s kommun. Välj en plats "
                        "inom kommunen."
                    )
                    # 257,8 in Swedish, 257.8 in English
                    % {"km": number_format(distance / 1000, 1), "kommun": self.municipality_name}
                )
        area_id: int | None = None
        if self.tree is not None:
            hits = self.tree.query(point, predicate="intersects")
            if len(hits):
                # Overlapping delområden: the smallest one is the most specific.
                best = min(hits, key=lambda i: self.area_geoms[i].area)
                area_id = self.area_ids[int(best)]
        return Located(area_id=area_id, h3_cell=h3_cell(lat, lon))


_cache: dict[int, tuple[object, PartnershipGeometry]] = {}
_cache_lock = threading.Lock()


def geometry_for(partnership: Any) -> PartnershipGeometry:
    """The partnership's indexed geometry, rebuilt when its delområden change."""
    from samtrygg.core.models import Area

    areas = list(
        Area.objects.filter(partnership=partnership).values_list("id", "geometry", "updated_at")
    )
    stamp = (len(areas), max((a[2] for a in areas), default=None), tuple(a[0] for a in areas))
    with _cache_lock:
        cached = _cache.get(partnership.pk)
        if cached and cached[0] == stamp:
            return cached[1]
    municipality = partnership.municipality
    built = PartnershipGeometry(
        municipality.name, municipality.boundary, [(a[0], a[1]) for a in areas]
    )
    with _cache_lock:
        _cache[partnership.pk] = (stamp, built)
    return built


def locate_point(partnership: Any, lat: float, lon: float) -> Located:
    """Resolve a point within a partnership to its delområde and h3 cell (see module doc)."""
    return geometry_for(partnership).locate(lat, lon)


def check_within_kommun(partnership: Any, geometry: dict[str, Any]) -> None:
    """Refuse a delområde that is not inside the kommun (with the same 500 m tolerance)."""
    municipality = partnership.municipality
    if not municipality.boundary:
        return
    boundary = shape(municipality.boundary)
    geom = shape(geometry)
    if boundary.contains(geom):
        return
    outside = geom.difference(boundary)
    if outside.is_empty:
        return
    # Every vertex outside the kommun must be within the tolerance.
    lat0 = geom.centroid.y
    kx = _M_PER_DEG_LAT * math.cos(math.radians(lat0))
    tolerance_deg = BOUNDARY_TOLERANCE_M / min(kx, _M_PER_DEG_LAT)
    if not boundary.buffer(tolerance_deg).contains(geom):
        raise DomainError(
            _("Delområdet ligger delvis utanför %(kommun)s kommun.") % {"kommun": municipality.name}
        )
