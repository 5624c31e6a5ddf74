"""The picture's part of the EST meeting's agenda: raised levels and new hot spots of the
week before the meeting (the adopted picture when there is one, else the computed one)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from samtrygg.analysis.levels import LEVEL_TEXT_SV, Level
from samtrygg.analysis.picture import Period
from samtrygg.core.permissions import Actor
from samtrygg.situation.models import PictureStatus, SituationPicture
from samtrygg.situation.pictures import compute_snapshot


def _week(day: dt.date) -> Period:
    year, week, _wd = day.isocalendar()
    return Period.week(year, week)


def picture_items(actor: Actor, day: dt.date) -> list[dict[str, Any]]:
    """From the adopted picture of the meeting's week or the week before (the newest), else
    the computed picture of the meeting's week."""
    weeks = [_week(day), _week(day - dt.timedelta(days=7))]
    adopted = (
        SituationPicture.objects.filter(
            partnership=actor.partnership,
            unit="week",
            period_index__in=[p.index for p in weeks],
            status=PictureStatus.ADOPTED,
        )
        .order_by("-period_index")
        .first()
    )
    period = Period("week", adopted.period_index) if adopted else weeks[0]
    if adopted is not None:
        data = adopted.snapshot
        levels = {lv["area"]: lv["level"] for lv in data.get("levels", [])}
    else:
        data = compute_snapshot(actor.partnership, period)
        levels = {a["name"]: a["suggested"]["level"] for a in data["areas"]}
    items: list[dict[str, Any]] = []
    for area in data["areas"]:
        level = levels.get(area["name"], 0)
        if level >= Level.YELLOW:
            items.append(
                {
                    "kind": "level",
                    "text": f"{area['name']}: {LEVEL_TEXT_SV[Level(level)]} – {area['sentence']}",
                    "area": area["name"],
                }
            )
    for spot in data.get("new_hotspots", []) or [h for h in data["hotspots"] if h["emerging"]]:
        what = spot["pattern_text"].capitalize() if spot["emerging"] else "Ny het punkt"
        where = spot["area"] or "kommunen"
        items.append(
            {
                "kind": "hotspot",
                "text": f"{what} i {where} ({spot['count']} händelser {period.label_sv})",
                "area": spot["area"],
            }
        )
    return items
