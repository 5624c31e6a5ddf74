"""The picture's part of the EST meeting's agenda: raised levels and new hot spots of the
week before the meeting (the adopted picture when there is one, else the computed one).

The items are worded in the active language when the agenda is made (as the actions' items).
A hot-spot cell without events of its own in the week is no agenda item: Gi* counts a cell's
neighbours too, so a quiet cell beside a busy one can test as "hot" (it is the busy
neighbour, itself a hot spot, that the meeting should look at)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from samtrygg.analysis.levels import Level
from samtrygg.analysis.picture import Period
from samtrygg.core.permissions import Actor
from samtrygg.situation import wording
from samtrygg.situation.models import PictureStatus, SituationPicture
from samtrygg.situation.pictures import cached_snapshot


def _week(day: dt.date) -> Period:
    year, week, _wd = day.isocalendar()
    return Period.week(year, week)


def _source_item(
    actor: Actor, weeks: list[Period], adopted: SituationPicture | None
) -> dict[str, Any]:
    """The agenda's first line: which picture the points below come from, and when it is not
    an adopted one, why (not adopted yet, or waiting for the police's co-signature)."""
    if adopted is not None:
        text = _("Underlag: den antagna lägesbilden för %(period)s.") % {
            "period": wording.period_text("week", adopted.period_index)
        }
    else:
        pending = (
            SituationPicture.objects.filter(
                partnership=actor.partnership,
                unit="week",
                period_index__in=[p.index for p in weeks],
                status__in=[PictureStatus.DRAFT, PictureStatus.AWAITING_COSIGN],
            )
            .order_by("-period_index")
            .first()
        )
        this_week = wording.period_text("week", weeks[0].index)
        if pending is not None and pending.status == PictureStatus.AWAITING_COSIGN:
            reason = _("lägesbilden för %(period)s väntar på kommunpolisens kontrasignering") % {
                "period": wording.period_text("week", pending.period_index)
            }
        elif pending is not None:
            reason = _("lägesbilden för %(period)s är ett utkast som inte är antaget") % {
                "period": wording.period_text("week", pending.period_index)
            }
        else:
            reason = _("ingen lägesbild är antagen för mötets vecka eller veckan före")
        text = _(
            "Underlag: den beräknade lägesbilden för %(period)s, eftersom %(reason)s. "
            "Ta fram dagordningen på nytt när lägesbilden är antagen."
        ) % {"period": this_week, "reason": reason}
    return {"kind": "source", "text": text, "area": ""}


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
        data = cached_snapshot(actor.partnership, period)
        levels = {a["name"]: a["suggested"]["level"] for a in data["areas"]}
    items: list[dict[str, Any]] = [_source_item(actor, weeks, adopted)]
    for area in data["areas"]:
        level = levels.get(area["name"], 0)
        if level >= Level.YELLOW:
            items.append(
                {
                    "kind": "level",
                    "text": _("%(area)s: %(level)s – %(sentence)s")
                    % {
                        "area": area["name"],
                        "level": wording.level_text(level),
                        "sentence": wording.area_sentence(area),
                    },
                    "area": area["name"],
                }
            )
    period_text = wording.period_text(period.unit, period.index)
    for spot in data.get("new_hotspots", []) or [h for h in data["hotspots"] if h["emerging"]]:
        count = int(spot.get("count") or 0)
        if count < 1:  # hot through its neighbours only (see the module's docstring)
            continue
        what = wording.pattern_text(spot["pattern"]) if spot["emerging"] else _("ny het punkt")
        items.append(
            {
                "kind": "hotspot",
                "text": ngettext(
                    "%(what)s i %(where)s (%(n)d händelse %(period)s)",
                    "%(what)s i %(where)s (%(n)d händelser %(period)s)",
                    count,
                )
                % {
                    "what": capfirst(what),
                    "where": spot["area"] or _("kommunen"),
                    "n": count,
                    "period": period_text,
                },
                "area": spot["area"],
            }
        )
    return items
