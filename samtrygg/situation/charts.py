"""Charts as Vega-Lite specifications built with altair, from a snapshot's numbers.

The page renders a specification with vega-embed; PDFs and snapshots render the same one to
SVG on the server with vl-convert, so a chart looks the same everywhere. Each chart also has
a table (the same numbers) for screen readers and for the XLSX.

Titles, axes, tooltips, days and period labels are in the active language
(:mod:`samtrygg.situation.wording`); the numbers are the snapshot's.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

import altair as alt
from django.utils import translation
from django.utils.translation import gettext as _

from samtrygg.situation import wording
from samtrygg.situation.schema import AreaRow, Series, Snapshot


def _data(values: list[dict[str, Any]]) -> Any:
    """A named placeholder; the values are put into the finished specification by
    :func:`_spec` (altair would otherwise walk and validate every value, which is slow)."""
    return alt.NamedData(name="table")


# Numbers as the reader's language writes them (d3-format locales): ``1 000,5`` in Swedish,
# ``1,000.5`` in English. The page (vega-embed) and the server (vl-convert) both read the
# locale from the specification's config.
NUMBER_LOCALES: dict[str, dict[str, Any]] = {
    "sv": {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", " kr"]},
    "en": {"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["", ""]},
}


def number_locale() -> dict[str, Any]:
    return NUMBER_LOCALES["sv" if wording.swedish() else "en"]


def vega_spec(chart: Any, values: list[dict[str, Any]]) -> dict[str, Any]:
    """The Vega-Lite specification of an altair ``chart`` with ``values`` inline and numbers
    written in the active language's form (the survey's charts use it too)."""
    spec: dict[str, Any] = chart.to_dict(validate=False)
    spec["data"] = {"values": values}
    spec.pop("datasets", None)
    spec.setdefault("config", {})["locale"] = {"number": number_locale()}
    return spec


def _language() -> str:
    return translation.get_language() or ""


@functools.lru_cache(maxsize=256)
def _template(kind: str, language: str, *shape: Any) -> dict[str, Any]:
    """The specification of a chart of ``kind`` without its values, built by altair once for
    each language and shape (building it is most of a chart's time, and is the same for every
    picture of one shape); ``language`` is the active one, which the titles are written in."""
    build: Callable[..., Any] = _SHAPES[kind]
    return vega_spec(build(*shape), [])


def _filled(kind: str, values: list[dict[str, Any]], *shape: Any) -> dict[str, Any]:
    spec = copy.deepcopy(_template(kind, _language(), *shape))
    spec["data"] = {"values": values}
    return spec


# At most this many period labels along a chart's axis (a year of weeks would crowd 53).
MAX_AXIS_LABELS = 14


def _axis_values(labels: list[str]) -> list[str]:
    """The labels written along the axis: all of them when few, else every n-th ending with
    the last (the period the picture is about)."""
    if len(labels) <= MAX_AXIS_LABELS:
        return list(labels)
    step = -(-len(labels) // MAX_AXIS_LABELS)
    return labels[::-1][::step][::-1]


WIDTH = 560
HEIGHT = 220
# A legend's label is cut (with …) beyond this width; half the chart's width, so two columns
# of labels fit under it.
LEGEND_LABEL_LIMIT = WIDTH // 2 - 30
LEVEL_COLOURS = {"green": "#2e7d32", "yellow": "#f2c200", "orange": "#ef6c00", "red": "#c62828"}


def _days(short: bool = True) -> list[str]:
    return [wording.day_text(d, short=short) for d in range(7)]


def _labels(series: Series) -> list[str]:
    """The series' periods in words (from the machine labels; the stored words otherwise)."""
    periods = series.get("periods")
    if periods:
        return [wording.label_text(str(p)) for p in periods]
    return list(series.get("labels") or [])


def _named(series: dict[str, list[int]], key: str) -> dict[str, list[int]]:
    """The sources by their label in the active language (their Swedish labels are texts of
    the code); categories are the partnership's own names and stay as they are."""
    if key != "by_source":
        return series
    return {_(name) if name else name: values for name, values in series.items()}


def _long(series: dict[str, list[int]], labels: list[str], key: str) -> list[dict[str, Any]]:
    return [
        {"period": labels[j], "order": j, key: name, "count": value}
        for name, values in series.items()
        for j, value in enumerate(values)
    ]


def trend_chart(
    series: dict[str, list[int]], labels: list[str], key: str, title: str, tooltip: str = ""
) -> dict[str, Any]:
    return _filled(
        "trend", _long(series, labels, key), tuple(_axis_values(labels)), key, title, tooltip
    )


def _trend(axis_values: tuple[str, ...], key: str, title: str, tooltip: str) -> Any:
    return (
        alt.Chart(_data([]), title=title, width=WIDTH, height=HEIGHT)
        .mark_line(point=True)
        .encode(
            x=alt.X(
                "period:N",
                sort=alt.SortField("order"),
                title=None,
                axis=alt.Axis(values=list(axis_values), labelAngle=-45),
            ),
            y=alt.Y("count:Q", title=_("Antal")),
            # The legend below the chart, in two columns: the lines keep the chart's whole
            # width and the longest category names are written out (on a phone and in
            # print too, where a legend beside the chart leaves them little room).
            color=alt.Color(
                f"{key}:N",
                title=None,
                legend=alt.Legend(orient="bottom", columns=2, labelLimit=LEGEND_LABEL_LIMIT),
            ),
            tooltip=[
                alt.Tooltip("period:N", title=_("Period")),
                alt.Tooltip(f"{key}:N", title=tooltip or key),
                alt.Tooltip("count:Q", title=_("Antal")),
            ],
        )
    )


def area_chart(areas: list[AreaRow], levels: dict[str, str]) -> dict[str, Any]:
    data = [
        {
            "area": a["name"],
            "count": a["count"],
            "expected": a["expected"] or 0,
            "level": levels.get(a["name"], a["suggested"]["level_key"]),
        }
        for a in areas
    ]
    return _filled("areas", data, max(60, 28 * len(data)))


def _areas(height: int) -> Any:
    base = alt.Chart(_data([]), title=_("Händelser per delområde mot normalt"))
    bars = base.mark_bar().encode(
        y=alt.Y("area:N", title=None, sort=None),
        x=alt.X("count:Q", title=_("Antal")),
        color=alt.Color(
            "level:N",
            scale=alt.Scale(domain=list(LEVEL_COLOURS), range=list(LEVEL_COLOURS.values())),
            legend=None,
        ),
        tooltip=[
            alt.Tooltip("area:N", title=_("Delområde")),
            alt.Tooltip("count:Q", title=_("Antal")),
            alt.Tooltip("expected:Q", title=_("Normalt")),
        ],
    )
    ticks = base.mark_tick(color="#1b2430", thickness=2, size=18).encode(
        y=alt.Y("area:N", sort=None), x="expected:Q"
    )
    return (bars + ticks).properties(width=WIDTH, height=height)


def hot_times_chart(total: list[int]) -> dict[str, Any]:
    days = _days()
    data = [
        {"day": days[h // 24], "d": h // 24, "hour": h % 24, "count": total[h]} for h in range(168)
    ]
    return _filled("hot_times", data)


def _hot_times() -> Any:
    return (
        alt.Chart(_data([]), title=_("Heta tider (timme × veckodag)"), width=WIDTH, height=160)
        .mark_rect()
        .encode(
            x=alt.X("hour:O", title=_("Timme")),
            y=alt.Y("day:N", sort=_days(), title=None),
            color=alt.Color("count:Q", title=_("Antal"), scale=alt.Scale(scheme="oranges")),
            tooltip=[
                alt.Tooltip("day:N", title=_("Dag")),
                alt.Tooltip("hour:O", title=_("Timme")),
                alt.Tooltip("count:Q", title=_("Antal")),
            ],
        )
    )


def crime_chart(rows: list[dict[str, Any]], kommun: str, county: str) -> dict[str, Any]:
    data = []
    for row in rows:
        if row["rate"] is not None:
            data.append({"category": row["category"], "where": kommun, "rate": row["rate"]})
        if row["county_rate"] is not None:
            data.append({"category": row["category"], "where": county, "rate": row["county_rate"]})
    return _filled("crime", data)


def _crime() -> Any:
    return (
        alt.Chart(_data([]), title=_("Anmälda brott per 100 000 invånare"), width=WIDTH)
        .mark_bar()
        .encode(
            y=alt.Y("category:N", title=None),
            yOffset="where:N",
            x=alt.X("rate:Q", title=_("Per 100 000")),
            color=alt.Color("where:N", title=None),
            tooltip=[
                alt.Tooltip("category:N", title=_("Brottskategori")),
                alt.Tooltip("where:N", title=_("Var")),
                alt.Tooltip("rate:Q", title=_("Per 100 000")),
            ],
        )
    )


# The charts of a picture by kind: each builds a chart of one shape, without its values.
_SHAPES: dict[str, Callable[..., Any]] = {
    "trend": _trend,
    "areas": _areas,
    "hot_times": _hot_times,
    "crime": _crime,
}


def all_charts(snapshot: Snapshot, levels: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Every chart of a snapshot: its specification and its table."""
    series = snapshot["series"]
    labels = _labels(series)
    out: dict[str, dict[str, Any]] = {}
    out["areas"] = {
        "title": _("Händelser per delområde mot normalt"),
        "spec": area_chart(snapshot["areas"], levels),
        "columns": [_("Delområde"), _("Antal"), _("Normalt")],
        "rows": [[a["name"], a["count"], a["expected"]] for a in snapshot["areas"]],
    }
    trends = {"by_category": series["by_category"], "by_source": series["by_source"]}
    for key, title, name in (
        ("by_category", _("Utveckling per kategori"), _("Kategori")),
        ("by_source", _("Utveckling per källa"), _("Källa")),
    ):
        out[key] = {
            "title": title,
            "spec": trend_chart(_named(trends[key], key), labels, "serie", title, name),
            "columns": [name, *labels],
            "rows": [[k, *v] for k, v in _named(trends[key], key).items()],
        }
    total = snapshot["hot_times"]["total"]
    out["hot_times"] = {
        "title": _("Heta tider"),
        "spec": hot_times_chart(total),
        "columns": [_("Dag"), *[f"{h:02d}" for h in range(24)]],
        "rows": [[d, *total[i * 24 : (i + 1) * 24]] for i, d in enumerate(_days())],
    }
    crime = snapshot.get("crime") or {}
    if crime.get("rows"):
        out["crime"] = {
            "title": _("Anmälda brott per 100 000 invånare"),
            "spec": crime_chart(crime["rows"], snapshot["municipality"], crime.get("county", "")),
            "columns": [
                _("Brottskategori"),
                snapshot["municipality"],
                crime.get("county") or _("Länet"),
            ],
            "rows": [[r["category"], r["rate"], r["county_rate"]] for r in crime["rows"]],
        }
    return out


def render_svg(spec: dict[str, Any]) -> str:
    """The specification rendered on the server (vl-convert), as SVG."""
    import vl_convert as vlc

    locale = ((spec.get("config") or {}).get("locale") or {}).get("number")
    return str(vlc.vegalite_to_svg(spec, format_locale=locale or number_locale()))


# --- tables for print ----------------------------------------------------------------------

# A table printed on an A4 page keeps its numbers whole up to about this many columns.
PRINT_COLUMNS = 14


def _month_of_week(label: str) -> int | None:
    """The month (period index) of an ISO week label's Thursday (``2025-W48``: ISO 8601
    counts a week to the year of its Thursday; the same rule gives it a month); None when
    ``label`` is not a week."""
    year, sep, week = label.upper().partition("-W")
    if not sep or not (year.isascii() and year.isdigit() and week.isascii() and week.isdigit()):
        return None
    try:
        thursday = dt.date.fromisocalendar(int(year), int(week), 4)
    except ValueError:
        return None
    return thursday.year * 12 + thursday.month - 1


def _by_month(periods: list[str], rows: list[list[Any]]) -> tuple[list[str], list[list[Any]]]:
    """Weekly rows summed per month (each week counted in its Thursday's month)."""
    months = [_month_of_week(p) for p in periods]
    order: list[int] = []
    for month in months:
        if month is not None and month not in order:
            order.append(month)
    summed: list[list[Any]] = []
    for row in rows:
        totals = dict.fromkeys(order, 0)
        for month, value in zip(months, row[1:], strict=False):
            if month is not None:
                totals[month] += int(value or 0)
        summed.append([row[0], *totals.values()])
    return [wording.month_short(m) for m in order], summed


def _split(columns: list[Any], rows: list[list[Any]], width: int) -> list[dict[str, Any]]:
    """A wide table as several tables of at most ``width`` columns (the first one repeated)."""
    step = max(width - 1, 1)
    tables = []
    for first in range(1, max(len(columns), 2), step):
        cut = slice(first, first + step)
        tables.append(
            {"columns": [columns[0], *columns[cut]], "rows": [[r[0], *r[cut]] for r in rows]}
        )
    return tables


def print_tables(key: str, chart: dict[str, Any], snapshot: dict[str, Any]) -> dict[str, Any]:
    """How a chart's table is printed: ``tables`` that fit an A4 page and a ``note`` saying
    how they differ from the page's table (the XLSX always has the full table).

    Weekly series longer than the page is wide are summed per month; the hot times (24 hours
    across) are turned so the hours run down the page; anything else still too wide is split.
    """
    columns, rows = list(chart["columns"]), [list(r) for r in chart["rows"]]
    note = ""
    periods = [str(p) for p in (snapshot.get("series") or {}).get("periods") or []]
    if (
        key in ("by_category", "by_source")
        and len(columns) > PRINT_COLUMNS
        and periods
        and len(periods) == len(columns) - 1
        and all(_month_of_week(p) is not None for p in periods)
    ):
        month_columns, rows = _by_month(periods, rows)
        columns = [columns[0], *month_columns]
        note = _(
            "Per månad (en vecka räknas till den månad där dess torsdag ligger). "
            "Tabellen per vecka finns i Excel-filen."
        )
    elif key == "hot_times" and len(columns) > PRINT_COLUMNS:
        columns, rows = (
            [_("Timme"), *[r[0] for r in rows]],
            [[columns[h], *[r[h] for r in rows]] for h in range(1, len(columns))],
        )
    if len(columns) > PRINT_COLUMNS:
        return {"tables": _split(columns, rows, PRINT_COLUMNS), "note": note}
    return {"tables": [{"columns": columns, "rows": rows}], "note": note}
