"""The picture's map as SVG from our own boundaries: delområden coloured by level, hot-spot
and emerging hot-spot cells, and the police's events at kommun level."""

from __future__ import annotations

from shapely.geometry import shape

from samtrygg.core.models import Area, Partnership
from samtrygg.documents.svgmap import Layer, LegendItem, SvgMap, hex_polygon
from samtrygg.situation.charts import LEVEL_COLOURS
from samtrygg.situation.schema import Snapshot


def picture_map_svg(partnership: Partnership, snapshot: Snapshot, levels: dict[str, str]) -> str:
    svg = SvgMap(width=760, height=560, title=f"Karta: lägesbild {snapshot['period']['label_sv']}")
    boundary = partnership.municipality.boundary
    areas = list(Area.objects.filter(partnership=partnership).order_by("name"))
    if boundary:
        svg.add(Layer(boundary, stroke="#12324f", fill="#dfe7ef", fill_opacity=0.5, width=2))
    focus = [a.geometry for a in areas]
    hex_layers = []
    for spot in snapshot.get("hotspots", []):
        polygon = hex_polygon(spot["cell_id"])
        focus.append(polygon)
        colour = "#a4161a" if spot["bin"] > 0 else "#6a1b9a"
        hex_layers.append(Layer(polygon, stroke=colour, fill=colour, fill_opacity=0.55, width=1))
    svg.bounds_from = focus or ([boundary] if boundary else [])
    for area in areas:
        key = levels.get(area.name, "green")
        svg.add(
            Layer(
                area.geometry,
                stroke="#0b5cad",
                fill=LEVEL_COLOURS.get(key, "#cccccc"),
                fill_opacity=0.45,
                label=area.name,
            )
        )
    for layer in hex_layers:
        svg.add(layer)
    police = snapshot.get("police", {}).get("count") or 0
    if boundary and police:
        centre = shape(boundary).representative_point()
        svg.add(
            Layer(
                {"type": "Point", "coordinates": [centre.x, centre.y]},
                stroke="#12324f",
                fill="#ffffff",
                fill_opacity=1.0,
                radius=11,
                width=3,
                label=f"Polisens händelser i kommunen: {police}",
            )
        )
    svg.legend = [
        LegendItem(LEVEL_COLOURS["green"], "Grön (lugnt)"),
        LegendItem(LEVEL_COLOURS["yellow"], "Gul (förhöjt)"),
        LegendItem(LEVEL_COLOURS["orange"], "Orange (oroligt)"),
        LegendItem(LEVEL_COLOURS["red"], "Röd (allvarligt)"),
        LegendItem("#a4161a", "Het punkt"),
        LegendItem("#6a1b9a", "Ny eller växande het punkt"),
    ]
    return svg.render()
