"""Maps as SVG drawn from our own boundaries, with no tile server: for PDFs, snapshots and
anything else that must look the same everywhere.

Coordinates are projected with a local equirectangular projection (x scaled by the cosine of
the mid latitude), which at the scale of a kommun is indistinguishable from Web Mercator.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

Coord = tuple[float, float]  # (lon, lat)


@dataclass
class Layer:
    """One thing to draw: a GeoJSON geometry with its style and an optional label."""

    geometry: dict[str, Any]
    stroke: str = "#0b5cad"
    fill: str = "none"
    fill_opacity: float = 0.0
    width: float = 1.5
    label: str = ""
    radius: float = 5.0
    dash: str = ""


@dataclass
class LegendItem:
    colour: str
    text: str


@dataclass
class SvgMap:
    width: int = 800
    height: int = 560
    layers: list[Layer] = field(default_factory=list)
    legend: list[LegendItem] = field(default_factory=list)
    title: str = ""
    bounds_from: list[dict[str, Any]] = field(default_factory=list)

    def add(self, layer: Layer) -> None:
        self.layers.append(layer)

    def render(self) -> str:
        coords = [
            c for g in (self.bounds_from or [la.geometry for la in self.layers]) for c in _coords(g)
        ]
        if not coords:
            coords = [(11.0, 55.3), (24.2, 69.1)]
        min_lon = min(c[0] for c in coords)
        max_lon = max(c[0] for c in coords)
        min_lat = min(c[1] for c in coords)
        max_lat = max(c[1] for c in coords)
        margin_lon = max((max_lon - min_lon) * 0.06, 0.002)
        margin_lat = max((max_lat - min_lat) * 0.06, 0.001)
        min_lon, max_lon = min_lon - margin_lon, max_lon + margin_lon
        min_lat, max_lat = min_lat - margin_lat, max_lat + margin_lat
        kx = math.cos(math.radians((min_lat + max_lat) / 2))
        span_x = max((max_lon - min_lon) * kx, 1e-6)
        span_y = max(max_lat - min_lat, 1e-6)
        pad = 16
        legend_h = 22 * math.ceil(len(self.legend) / 3) if self.legend else 0
        avail_w, avail_h = self.width - 2 * pad, self.height - 2 * pad - legend_h
        scale = min(avail_w / span_x, avail_h / span_y)
        off_x = pad + (avail_w - span_x * scale) / 2
        off_y = pad + (avail_h - span_y * scale) / 2

        def project(lon: float, lat: float) -> tuple[float, float]:
            return (
                round(off_x + (lon - min_lon) * kx * scale, 1),
                round(off_y + (max_lat - lat) * scale, 1),
            )

        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {self.width} {self.height}" '
            f'width="{self.width}" height="{self.height}" role="img" '
            f'aria-label="{escape(self.title, {chr(34): "&quot;"})}" class="svg-map">',
            f'<rect width="{self.width}" height="{self.height}" fill="#f4f7fa"/>',
        ]
        if self.title:
            parts.append(f"<title>{escape(self.title)}</title>")
        for layer in self.layers:
            parts.extend(_draw(layer, project))
        # The names go on top of every shape, so that no fill (a hot spot) covers them.
        for layer in self.layers:
            parts.extend(_label(layer, project))
        if self.legend:
            y0 = self.height - legend_h + 4
            col_w = (self.width - 2 * pad) / 3
            for i, item in enumerate(self.legend):
                x = pad + (i % 3) * col_w
                y = y0 + (i // 3) * 22
                parts.append(
                    f'<rect x="{x:.0f}" y="{y:.0f}" width="14" height="14" fill="{item.colour}" '
                    'stroke="#333" stroke-width="0.5"/>'
                )
                parts.append(
                    f'<text x="{x + 20:.0f}" y="{y + 12:.0f}" font-size="12" '
                    f'font-family="sans-serif" fill="#1b2430">{escape(item.text)}</text>'
                )
        parts.append("</svg>")
        return "".join(parts)


def _coords(geometry: dict[str, Any]) -> Iterable[Coord]:
    kind = geometry.get("type")
    c: Any = geometry.get("coordinates") or []
    if kind == "Point":
        yield (c[0], c[1])
    elif kind in ("LineString", "MultiPoint"):
        yield from ((p[0], p[1]) for p in c)
    elif kind in ("Polygon", "MultiLineString"):
        for ring in c:
            yield from ((p[0], p[1]) for p in ring)
    elif kind == "MultiPolygon":
        for poly in c:
            for ring in poly:
                yield from ((p[0], p[1]) for p in ring)
    elif kind == "GeometryCollection":
        for g in geometry.get("geometries", []):
            yield from _coords(g)


def _path(rings: Sequence[Sequence[Sequence[float]]], project: Any, close: bool) -> str:
    out = []
    for ring in rings:
        pts = [project(p[0], p[1]) for p in ring]
        if not pts:
            continue
        out.append("M" + " L".join(f"{x},{y}" for x, y in pts) + (" Z" if close else ""))
    return " ".join(out)


def _draw(layer: Layer, project: Any) -> list[str]:
    g = layer.geometry
    kind = g.get("type")
    style = (
        f'stroke="{layer.stroke}" stroke-width="{layer.width}" fill="{layer.fill}" '
        f'fill-opacity="{layer.fill_opacity}"'
        + (f' stroke-dasharray="{layer.dash}"' if layer.dash else "")
    )
    out: list[str] = []
    if kind == "Polygon":
        out.append(
            f'<path d="{_path(g["coordinates"], project, True)}" {style} fill-rule="evenodd"/>'
        )
    elif kind == "MultiPolygon":
        d = " ".join(_path(poly, project, True) for poly in g["coordinates"])
        out.append(f'<path d="{d}" {style} fill-rule="evenodd"/>')
    elif kind == "LineString":
        out.append(
            f'<path d="{_path([g["coordinates"]], project, False)}" {style} '
            'stroke-linejoin="round" stroke-linecap="round"/>'
        )
    elif kind == "Point":
        x, y = project(*g["coordinates"][:2])
        out.append(f'<circle cx="{x}" cy="{y}" r="{layer.radius}" {style}/>')
    return out


LABEL_INK = "#1b2430"
LABEL_HALO = "#ffffff"


def _label(layer: Layer, project: Any) -> list[str]:
    """The layer's name: dark text on a light halo, readable on any fill.

    The halo is a copy of the text drawn first with a wide light stroke, and the dark text
    drawn over it. A single <text> with paint-order="stroke" would do in a browser, but
    WeasyPrint (the PDF) ignores paint-order and strokes over the fill: white letters.
    """
    if not layer.label:
        return []
    g = layer.geometry
    coords = list(_coords(g))
    if not coords:
        return []
    kind = g.get("type")
    lon = sum(c[0] for c in coords) / len(coords)
    lat = sum(c[1] for c in coords) / len(coords)
    x, y = project(lon, lat)
    if kind == "Point":
        x += layer.radius + 2
    return _label_text(x, y, "start" if kind == "Point" else "middle", escape(layer.label))


def _label_text(x: float | str, y: float | str, anchor: str, label: str) -> list[str]:
    common = (
        f'x="{x}" y="{y}" font-size="11" font-family="sans-serif" font-weight="600" '
        f'text-anchor="{anchor}"'
    )
    return [
        f'<text {common} fill="{LABEL_HALO}" stroke="{LABEL_HALO}" stroke-width="3.5" '
        f'stroke-linejoin="round" paint-order="stroke" aria-hidden="true">{label}</text>',
        f'<text {common} fill="{LABEL_INK}">{label}</text>',
    ]


# A label as render() drew it before the halo was a text of its own; such maps are frozen in
# adopted pictures.
_SINGLE_LABEL = re.compile(
    r'<text x="([^"]*)" y="([^"]*)" font-size="11" font-family="sans-serif" '
    r'fill="#1b2430" stroke="#fff" stroke-width="3" paint-order="stroke" '
    r'text-anchor="(start|middle)">([^<]*)</text>'
)


def readable_labels(svg: str) -> str:
    """A map drawn by an earlier render() with its labels as render() draws them now.

    The earlier labels rely on paint-order, which the PDF ignores (white letters); they are
    drawn again as halo and text, on top of every shape.
    """
    labels = _SINGLE_LABEL.findall(svg)
    if not labels:
        return svg
    svg = _SINGLE_LABEL.sub("", svg)
    drawn = "".join("".join(_label_text(x, y, anchor, text)) for x, y, anchor, text in labels)
    end = svg.rfind("</svg>")
    return svg[:end] + drawn + svg[end:] if end >= 0 else svg


def hex_polygon(cell: int) -> dict[str, Any]:
    """The h3 cell as a GeoJSON Polygon."""
    import h3

    boundary = h3.cell_to_boundary(h3.int_to_str(int(cell)))
    ring = [[lng, lat] for lat, lng in boundary]
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}
