"""The server-drawn charts as the PDF prints them: text in the font it was laid out with, and
a colour scale's legend in solid colours (a gradient is left blank by some PDF readers)."""

from __future__ import annotations

import re

from django.utils import translation

from samtrygg.documents.chartsvg import MEASURED_FONT, for_print, solid_gradients
from samtrygg.situation import charts

_RECT = re.compile(
    r'<rect x="([0-9.]+)" y="([0-9.]+)" width="([0-9.]+)" height="([0-9.]+)" '
    r'fill="rgb\((\d+),(\d+),(\d+)\)"/>'
)


def _hot_times_svg() -> str:
    with translation.override("sv"):
        return charts.render_svg(charts.hot_times_chart([h % 11 for h in range(168)]))


def test_the_colour_scale_is_drawn_in_solid_colours() -> None:
    svg = _hot_times_svg()
    assert 'fill="url(#' in svg  # as vl-convert draws it

    printed = for_print(svg)
    assert 'fill="url(#' not in printed
    bands = [tuple(map(float, m[:4])) + tuple(map(int, m[4:])) for m in _RECT.findall(printed)]
    assert len(bands) > 20
    # The scale runs upwards from the lightest colour to the darkest: each band reaches to
    # the top and is drawn over the one before it, the lightest covering the whole legend.
    first, last = bands[0], bands[-1]
    assert first[1] == 0 and first[3] > 100 and last[1] == 0 and last[3] < first[3] / 10
    assert [b[3] for b in bands] == sorted((b[3] for b in bands), reverse=True)
    assert sum(first[4:]) > 600 and sum(last[4:]) < 300


def test_a_gradient_runs_the_way_it_is_written() -> None:
    svg = (
        '<svg><path d="M0,0h100v10h-100Z" fill="url(#g)" stroke="#ddd"/>'
        '<defs><linearGradient id="g" x1="0" x2="1" y1="0" y2="0">'
        '<stop offset="0" stop-color="#000000"/><stop offset="1" stop-color="rgb(255, 0, 0)"/>'
        "</linearGradient></defs></svg>"
    )
    bands = _RECT.findall(solid_gradients(svg))
    assert bands
    left = min(bands, key=lambda b: float(b[0]))
    right = max(bands, key=lambda b: float(b[0]))
    assert float(left[0]) == 0 and float(left[0]) + float(left[2]) == 100
    assert int(left[4]) < 10 and int(right[4]) > 245 and int(right[5]) == 0


def test_the_text_is_drawn_in_the_font_it_was_measured_with() -> None:
    printed = for_print(_hot_times_svg())
    assert 'font-family="sans-serif"' not in printed
    assert f'font-family="{MEASURED_FONT}, sans-serif"' in printed


def test_a_trend_writes_long_category_names_whole_in_a_legend_below_it() -> None:
    long_name = "Otrygghetsskapande samling av personer"
    series = {long_name: [1, 2, 3], "Berusning/missbruk i offentlig miljö": [0, 1, 0]}
    with translation.override("sv"):
        spec = charts.trend_chart(series, ["v1", "v2", "v3"], "serie", "Utveckling", "Kategori")
        svg = charts.render_svg(spec)
    assert spec["encoding"]["color"]["legend"]["orient"] == "bottom"
    assert f">{long_name}</text>" in svg
    assert ">Berusning/missbruk i offentlig miljö</text>" in svg
