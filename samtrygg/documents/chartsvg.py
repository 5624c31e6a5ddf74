"""Charts drawn on the server (vl-convert SVG) made ready for a PDF.

Two things in such a drawing come out wrong when WeasyPrint prints it:

* vl-convert lays out the text it writes as ``sans-serif`` with Liberation Sans (its own
  copy), while the PDF draws ``sans-serif`` with the system's default (DejaVu Sans, about a
  tenth wider): labels overrun the room measured for them and are cut at the chart's edge.
  The text is drawn in the font it was measured with.
* A colour scale's legend is a rectangle filled with a linear gradient, which several PDF
  readers leave blank once the chart is scaled to the page. It is drawn as bands of solid
  colour instead.

Both are done to the finished drawing, so a chart kept in an adopted picture prints right too.
"""

from __future__ import annotations

import itertools
import re

# The font vl-convert measures ``sans-serif`` text with.
MEASURED_FONT = "Liberation Sans"

_GRADIENT = re.compile(
    r'<linearGradient id="([^"]+)"([^>]*)>((?:\s*<stop [^>]*/>)*)\s*</linearGradient>'
)
_STOP = re.compile(r'<stop offset="([0-9.]+)" stop-color="([^"]+)"')
_COORD = re.compile(r'\b(x1|x2|y1|y2)="([0-9.]+)"')
_RGB = re.compile(r"rgb\(\s*(\d+),\s*(\d+),\s*(\d+)\s*\)")
_HEX = re.compile(r"#([0-9a-fA-F]{6})")
_NUMBER = r"([0-9]+(?:\.[0-9]+)?)"
# A gradient legend as vega draws it: a rectangle from the origin, ``M0,0h16v160h-16Z``.
_FILLED_RECT = re.compile(
    rf'<path d="M0,0h{_NUMBER}v{_NUMBER}h-[0-9.]+Z" fill="url\(#([^)"]+)\)"[^>]*/>'
)

# Bands a gradient is drawn with (enough that no step shows at print size).
BANDS = 48

Colour = tuple[float, float, float]


def for_print(svg: str) -> str:
    """``svg`` (drawn by vl-convert) as the PDF should print it."""
    svg = svg.replace('font-family="sans-serif"', f'font-family="{MEASURED_FONT}, sans-serif"')
    return solid_gradients(svg)


def _colour(text: str) -> Colour | None:
    if m := _RGB.fullmatch(text.strip()):
        return (float(m[1]), float(m[2]), float(m[3]))
    if m := _HEX.fullmatch(text.strip()):
        value = m[1]
        return (float(int(value[0:2], 16)), float(int(value[2:4], 16)), float(int(value[4:], 16)))
    return None


def _at(stops: list[tuple[float, Colour]], t: float) -> Colour:
    """The gradient's colour at ``t`` (0–1), between the stops around it."""
    if t <= stops[0][0]:
        return stops[0][1]
    for (t0, c0), (t1, c1) in itertools.pairwise(stops):
        if t <= t1:
            f = 0.0 if t1 == t0 else (t - t0) / (t1 - t0)
            return (
                c0[0] + (c1[0] - c0[0]) * f,
                c0[1] + (c1[1] - c0[1]) * f,
                c0[2] + (c1[2] - c0[2]) * f,
            )
    return stops[-1][1]


def _bands(
    width: float, height: float, coords: dict[str, float], stops: list[tuple[float, Colour]]
) -> str | None:
    """Rectangles of solid colour that draw the gradient over a ``width`` × ``height`` box;
    None for a gradient that does not run along one side."""
    x1, x2 = coords.get("x1", 0.0), coords.get("x2", 1.0)
    y1, y2 = coords.get("y1", 0.0), coords.get("y2", 0.0)
    if x1 == x2 and y1 != y2:
        start, end, length, vertical = y1, y2, height, True
    elif y1 == y2 and x1 != x2:
        start, end, length, vertical = x1, x2, width, False
    else:
        return None
    rects = []
    for i in range(BANDS):
        t = i / BANDS
        r, g, b = _at(stops, (i + 0.5) / BANDS)
        # Each band reaches to the gradient's far end; the next is drawn over it, so no seam
        # shows between two bands.
        a = (start + (end - start) * t) * length
        z = end * length
        lo, hi = min(a, z), max(a, z)
        fill = f"rgb({round(r)},{round(g)},{round(b)})"
        x, y, w, h = (0.0, lo, width, hi - lo) if vertical else (lo, 0.0, hi - lo, height)
        rects.append(f'<rect x="{x:g}" y="{y:g}" width="{w:g}" height="{h:g}" fill="{fill}"/>')
    return "<g>" + "".join(rects) + "</g>"


def solid_gradients(svg: str) -> str:
    """``svg`` with each rectangle filled by a linear gradient drawn as bands of solid colour
    (those it cannot read are left as they are)."""
    gradients: dict[str, tuple[dict[str, float], list[tuple[float, Colour]]]] = {}
    for gradient_id, attributes, body in _GRADIENT.findall(svg):
        stops = []
        for offset, colour_text in _STOP.findall(body):
            colour = _colour(colour_text)
            if colour is None:
                break
            stops.append((float(offset), colour))
        else:
            if stops and "gradientUnits" not in attributes:
                coords = {name: float(value) for name, value in _COORD.findall(attributes)}
                gradients[gradient_id] = (coords, stops)
    if not gradients:
        return svg

    def solid(match: re.Match[str]) -> str:
        found = gradients.get(match[3])
        if found is None:
            return match[0]
        drawn = _bands(float(match[1]), float(match[2]), *found)
        return match[0] if drawn is None else drawn

    return _FILLED_RECT.sub(solid, svg)
