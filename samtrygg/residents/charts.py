"""The chart behind a fact answer: the counts of the claim's area and categories per period,
the period of the claim against its baseline periods, as a Vega-Lite specification like the
lägesbild's charts (rendered by vega-embed on the page, with the same numbers in a table for
readers without JavaScript). Counts under the partnership's public minimum are shown as
"färre än N" in the table and left out of the bars."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from samtrygg.situation.charts import number_locale

COLOURS = {"current": "#a4161a", "baseline": "#0b5cad", "other": "#9aa5b1"}


def rows(check: dict[str, Any], min_count: int) -> list[dict[str, Any]]:
    """The table under the chart: period, role, and the count or "färre än N"."""
    role_text = {
        "current": _("Perioden som påståendet gäller"),
        "baseline": _("Jämförelseperiod"),
        "other": _("Övrig period"),
    }
    out = []
    for point in check.get("series", []):
        if point["role"] == "other":
            continue  # the engine's window reaches further back than the comparison
        count = int(point["count"])
        hidden = 0 < count < min_count
        out.append(
            {
                "label": point["label"],
                "role": point["role"],
                "role_text": role_text.get(point["role"], ""),
                "count": None if hidden else count,
                "display": _("färre än %(n)d") % {"n": min_count} if hidden else str(count),
            }
        )
    return out


def spec(check: dict[str, Any], min_count: int) -> dict[str, Any]:
    data = [
        {"period": r["label"], "order": i, "count": r["count"], "role": r["role_text"]}
        for i, r in enumerate(rows(check, min_count))
        if r["count"] is not None
    ]
    role_text = [
        _("Perioden som påståendet gäller"),
        _("Jämförelseperiod"),
        _("Övrig period"),
    ]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": _("Antal per period: %(place)s") % {"place": check.get("place", "")},
        "width": "container",
        "height": 200,
        "data": {"values": data},
        "mark": {"type": "bar"},
        "encoding": {
            "x": {
                "field": "period",
                "type": "nominal",
                "sort": {"field": "order"},
                "title": None,
                "axis": {"labelAngle": -45},
            },
            "y": {"field": "count", "type": "quantitative", "title": _("Antal")},
            "color": {
                "field": "role",
                "type": "nominal",
                "title": None,
                "scale": {"domain": role_text, "range": list(COLOURS.values())},
                "legend": {"orient": "bottom"},
            },
            "tooltip": [
                {"field": "period", "type": "nominal", "title": _("Period")},
                {"field": "count", "type": "quantitative", "title": _("Antal")},
            ],
        },
        "config": {"locale": {"number": number_locale()}},
    }
