"""The survey's charts as Vega-Lite specifications (altair), in the lägesbild's style: the
page renders them with vega-embed, the PDF on the server with vl-convert. Each has a table
with the same numbers beside it. A self-selected sample says so in every chart's subtitle."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt
from django.utils.translation import gettext as _

from samtrygg.situation.charts import render_svg, vega_spec
from samtrygg.surveys.queries import Row

WIDTH = 520
BAR = "#0b5cad"
BEFORE = "#8a96a3"


def _title(text: str, self_selected: bool) -> Any:
    if self_selected:
        return alt.TitleParams(
            text,
            subtitle=[_("Självselekterat urval")],
            subtitleColor="#8a1c1c",
            limit=WIDTH,
        )
    return alt.TitleParams(text, limit=WIDTH)


def indicator_by_area(
    rows: Sequence[Row], title: str, self_selected: bool, previous_label: str = ""
) -> dict[str, Any]:
    """One indicator per area: the share as a point with its 95 % interval; the previous
    wave's beside it (grey) when there is one. Suppressed areas are left out."""
    values: list[dict[str, Any]] = []
    for row in rows:
        for wave, result in ((_("Denna omgång"), row.result), (previous_label, row.before)):
            if result is None or result.share is None or not wave:
                continue
            values.append(
                {
                    "area": row.area,
                    "wave": wave,
                    "share": result.share,
                    "low": result.ci_low,
                    "high": result.ci_high,
                    "n": result.n,
                }
            )
    areas = list(dict.fromkeys(row.area for row in rows))
    base = alt.Chart(alt.NamedData(name="table"), title=_title(title, self_selected), width=WIDTH)
    y = alt.Y("area:N", title=None, sort=areas)
    offset = alt.YOffset("wave:N", sort=[_("Denna omgång"), previous_label])
    colour = alt.Color(
        "wave:N",
        title=None,
        scale=alt.Scale(domain=[_("Denna omgång"), previous_label], range=[BAR, BEFORE]),
        legend=alt.Legend(orient="bottom") if previous_label else None,
    )
    x_axis = alt.Axis(format="%", title=_("Andel (95 % intervall)"))
    rules = base.mark_rule(strokeWidth=2).encode(
        y=y,
        yOffset=offset,
        x=alt.X("low:Q", axis=x_axis, scale=alt.Scale(domain=[0, 1])),
        x2="high:Q",
        color=colour,
    )
    points = base.mark_point(filled=True, size=70).encode(
        y=y,
        yOffset=offset,
        x=alt.X("share:Q"),
        color=colour,
        tooltip=[
            alt.Tooltip("area:N", title=_("Område")),
            alt.Tooltip("wave:N", title=_("Omgång")),
            alt.Tooltip("share:Q", title=_("Andel"), format=".1%"),
            alt.Tooltip("low:Q", title=_("Lägre"), format=".1%"),
            alt.Tooltip("high:Q", title=_("Övre"), format=".1%"),
            alt.Tooltip("n:Q", title=_("Antal svar")),
        ],
    )
    return vega_spec(alt.layer(rules, points), values)


def distribution_chart(entry: dict[str, Any], self_selected: bool) -> dict[str, Any]:
    """One item's answers as horizontal bars of the (weighted) share per answer."""
    values = [
        {"answer": f"{a['code']} {a['label']}", "share": a["share"], "n": a["n"]}
        for a in entry["answers"]
    ]
    order = [v["answer"] for v in values]
    chart = (
        alt.Chart(
            alt.NamedData(name="table"),
            title=_title(f"{entry['code']} {entry['text']}", self_selected),
            width=WIDTH,
        )
        .mark_bar(color=BAR)
        .encode(
            y=alt.Y("answer:N", title=None, sort=order, axis=alt.Axis(labelLimit=260)),
            x=alt.X("share:Q", title=_("Andel av svaren"), axis=alt.Axis(format="%")),
            tooltip=[
                alt.Tooltip("answer:N", title=_("Svar")),
                alt.Tooltip("share:Q", title=_("Andel"), format=".1%"),
                alt.Tooltip("n:Q", title=_("Antal svar")),
            ],
        )
    )
    return vega_spec(chart, values)


def svg(spec: dict[str, Any]) -> str:
    """The chart for print: room around it, as the PDF's font sets labels wider than the
    one they were measured with."""
    return render_svg({**spec, "padding": {"left": 40, "right": 40, "top": 5, "bottom": 5}})
