"""The whole picture of a period: load, analyse, add context, build charts and the map."""

from __future__ import annotations

from samtrygg.analysis.picture import Period
from samtrygg.core.models import Partnership
from samtrygg.situation import charts, compute, context, snapshot
from samtrygg.situation.maps import picture_map_svg
from samtrygg.situation.schema import Snapshot


def compute_snapshot(
    partnership: Partnership,
    period: Period,
    filters: compute.Filters | None = None,
    *,
    levels: dict[str, str] | None = None,
    render: bool = False,
) -> Snapshot:
    """The snapshot of ``period``; ``levels`` (area name → level key) colour the map and the
    area chart (default: the suggestions); ``render`` adds the server-side SVGs."""
    filters = filters or compute.Filters()
    loaded = compute.load(partnership, period, filters)
    picture = compute.picture_of(loaded, period)
    before = None
    if period.unit == "week":
        before = compute.picture_of(loaded, compute.previous(period))
    data = snapshot.build(partnership, period, filters, loaded, picture, before)
    data["police"] = (
        context.police_events(partnership, period) if filters.police_included else {"count": 0}
    )
    data["crime"] = context.crime_statistics(partnership)
    chosen = levels or {a["name"]: a["suggested"]["level_key"] for a in data["areas"]}
    data["charts"] = charts.all_charts(data, chosen)
    if render:
        for chart in data["charts"].values():
            chart["svg"] = charts.render_svg(chart["spec"])
        data["map_svg"] = picture_map_svg(partnership, data, chosen)
    return data
