"""The safety walk's map for its feedback document, drawn with the shared SVG maps."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from samtrygg.core.models import Area
from samtrygg.documents.svgmap import Layer, LegendItem, SvgMap


def walk_map_svg(partnership: Any, walk: Any, findings: list[Any]) -> str:
    """The walk's route and numbered findings over the kommun and delområden, as SVG."""
    svg = SvgMap(width=760, height=520, title=_("Karta över trygghetsvandringen"))
    focus: list[dict[str, Any]] = []
    if walk.route:
        focus.append(walk.route)
    focus += [{"type": "Point", "coordinates": [f.lon, f.lat]} for f in findings]
    area_geoms = list(Area.objects.filter(partnership=partnership).values_list("name", "geometry"))
    if walk.area_id:
        focus.append(walk.area.geometry)
    if not focus:
        boundary = partnership.municipality.boundary
        focus = [boundary] if boundary else [g for _n, g in area_geoms]
    # a little context around the route
    svg.bounds_from = focus
    if partnership.municipality.boundary:
        svg.add(
            Layer(
                partnership.municipality.boundary,
                stroke="#12324f",
                fill="#dfe7ef",
                fill_opacity=0.5,
                width=2,
            )
        )
    for name, geometry in area_geoms:
        svg.add(Layer(geometry, stroke="#0b5cad", fill="#0b5cad", fill_opacity=0.08, label=name))
    if walk.route:
        svg.add(Layer(walk.route, stroke="#a4161a", width=4))
    for number, finding in enumerate(findings, start=1):
        svg.add(
            Layer(
                {"type": "Point", "coordinates": [finding.lon, finding.lat]},
                stroke="#fff",
                fill="#8a5a00",
                fill_opacity=1.0,
                radius=8,
                label=str(number),
            )
        )
    svg.legend = [
        LegendItem("#a4161a", _("Sträckan")),
        LegendItem("#8a5a00", _("Fynd (numrerade)")),
        LegendItem("#0b5cad", _("Delområden")),
    ]
    return svg.render()
