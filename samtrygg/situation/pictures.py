"""The whole picture of a period: load, analyse, add context, build charts and the map."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.utils import translation

from samtrygg.analysis.picture import Period
from samtrygg.core.generations import ALL, DATA, MISS
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


def _code_fingerprint() -> str:
    """The source of the code that computes a picture: a kept picture is used only by the
    code that computed it (a deployment with a changed engine computes anew)."""
    digest = hashlib.sha256()
    for folder in ("analysis", "situation"):
        for path in sorted((Path(__file__).parent.parent / folder).glob("*.py")):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


CODE = _code_fingerprint()


def cached_snapshot(
    partnership: Partnership, period: Period, filters: compute.Filters | None = None
) -> Snapshot:
    """:func:`compute_snapshot` of the live page, kept in the shared cache.

    A picture of 100 000 reports a year takes a few hundred milliseconds to load and compute,
    and the live page, its map's points and the meeting's agenda ask for the same one again
    and again while nothing has changed. It is kept for the generation of the partnership's
    records (``core.generations.DATA``): a new or changed report, area, category or police
    event outdates it at once, so the next request computes it anew. Kept per period, filters
    and language (the charts' titles are worded in the reader's language)."""
    filters = filters or compute.Filters()
    name = ":".join(
        (
            "picture",
            CODE,
            str(partnership.pk),
            period.unit,
            str(period.index),
            hashlib.sha256(repr(sorted(filters.as_dict().items())).encode()).hexdigest()[:16],
            translation.get_language() or "",
        )
    )
    token, kept = DATA.get(name, scopes=(ALL, partnership.pk))
    if kept is not MISS:
        data: Snapshot = kept
        return data
    data = compute_snapshot(partnership, period, filters)
    DATA.put(token, name, data)
    return data
