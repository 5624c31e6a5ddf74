"""The effect block's weekly chart: the target's and the buffer's counts per week with the
action's weeks shaded, as a Vega-Lite specification in the lägesbild's style (altair), drawn
to SVG on the server (the same on the page and in a PDF), and the same numbers as a table."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import altair as alt
from django.utils.translation import gettext as _

from samtrygg.situation.charts import HEIGHT, number_locale, render_svg

if TYPE_CHECKING:
    from samtrygg.actions.effect import Effect

TARGET_COLOUR = "#0b5cad"
BUFFER_COLOUR = "#8a5a00"
ACTION_COLOUR = "#c8e6c9"
CHART_WIDTH = 480  # narrower than the lägesbild's: it is read on a phone at the meeting too


def effect_spec(effect: Effect) -> dict[str, Any]:
    """The Vega-Lite specification of the weekly chart."""
    target, buffer = _("Målområdet"), _("Bufferten")
    labels = [w["short"] for w in effect.weeks]
    lines = [
        {"week": w["short"], "order": i, "serie": name, "count": w[key]}
        for i, w in enumerate(effect.weeks)
        for key, name in (("target", target), ("buffer", buffer))
    ]
    shaded = [{"week": w["short"], "order": i} for i, w in enumerate(effect.weeks) if w["action"]]
    step = max(1, -(-len(labels) // 12))
    x = alt.X(
        "week:N",
        sort=labels,
        title=None,
        axis=alt.Axis(values=labels[::step], labelAngle=-45),
        scale=alt.Scale(domain=labels, paddingInner=0),
    )
    band = (
        alt.Chart(alt.NamedData(name="shaded"))
        .mark_bar(color=ACTION_COLOUR, opacity=0.7, width={"band": 1})
        .encode(x=x, y=alt.datum(0), y2=alt.datum(1))
    )
    line = (
        alt.Chart(alt.NamedData(name="lines"))
        .mark_line(point=True)
        .encode(
            x=x,
            y=alt.Y("count:Q", title=_("Händelser per vecka")),
            color=alt.Color(
                "serie:N",
                title=None,
                scale=alt.Scale(domain=[target, buffer], range=[TARGET_COLOUR, BUFFER_COLOUR]),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=[
                alt.Tooltip("week:N", title=_("Vecka")),
                alt.Tooltip("serie:N", title=_("Område")),
                alt.Tooltip("count:Q", title=_("Antal")),
            ],
        )
    )
    chart = alt.layer(band, line).properties(
        width=CHART_WIDTH, height=HEIGHT, title=_("Händelser per vecka; insatsens veckor skuggade")
    )
    spec: dict[str, Any] = chart.to_dict(validate=False)
    spec.pop("datasets", None)
    spec["datasets"] = {"shaded": shaded, "lines": lines}
    # the shaded band spans the whole height: its y runs on its own scale from 0 to 1
    spec["layer"][0]["encoding"]["y"] = {"datum": 0, "scale": {"domain": [0, 1]}, "axis": None}
    spec["layer"][0]["encoding"]["y2"] = {"datum": 1}
    spec["resolve"] = {"scale": {"y": "independent"}}
    spec.setdefault("config", {})["locale"] = {"number": number_locale()}
    return spec


def effect_chart(effect: Effect) -> dict[str, Any]:
    """Title, SVG and table of the weekly chart."""
    columns = [_("Vecka"), _("Målområdet"), _("Bufferten"), _("Jämförelsen"), _("Insats")]
    rows = [
        [w["label"], w["target"], w["buffer"], w["control"], _("ja") if w["action"] else ""]
        for w in effect.weeks
    ]
    svg = render_svg(effect_spec(effect)) if effect.weeks else ""
    return {
        "title": _("Händelser per vecka"),
        "svg": svg,
        "columns": columns,
        "rows": rows,
        "print_tables": print_tables(effect),
    }


PRINT_WEEKS = 12  # weeks per printed table: an A4 page keeps the numbers whole


def print_tables(effect: Effect) -> list[dict[str, Any]]:
    """The weekly table as printed: turned so the weeks run across, in tables of at most
    :data:`PRINT_WEEKS` weeks."""
    names = ((_("Målområdet"), "target"), (_("Bufferten"), "buffer"), (_("Jämförelsen"), "control"))
    tables = []
    for first in range(0, len(effect.weeks), PRINT_WEEKS):
        weeks = effect.weeks[first : first + PRINT_WEEKS]
        rows: list[list[Any]] = [[name, *(w[key] for w in weeks)] for name, key in names]
        rows.append([_("Insats"), *(_("ja") if w["action"] else "" for w in weeks)])
        tables.append({"columns": [_("Vecka"), *(w["short"] for w in weeks)], "rows": rows})
    return tables
