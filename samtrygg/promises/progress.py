"""Progress of a promise's items, counted from the actions the partnership already holds.

An item's counting rule (action types, delområden, period) selects the actions it counts;
done is the sum of their done counts, against the item's target. Inside the partnership the
plain sum is shown. Everything published (the public page, its JSON, an adopted follow-up)
goes through ``samtrygg.core.aggregation``: actions marked not for publication are left out,
small counts are shown as "färre än N", and nothing finer than the whole kommun is shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from samtrygg.actions.models import Action
from samtrygg.core.aggregation import STOCKHOLM, PublicRecord, public_counts
from samtrygg.promises.models import Assessment, CitizenPromise, FollowUp, PromiseItem

# Indicators compare the follow-up period with a period as long just before the promise.
MAX_INDICATOR_DAYS = 3 * 366


@dataclass(frozen=True)
class Progress:
    """An item's progress: ``done`` is None when a published count is suppressed."""

    done: int | None
    display: str
    target: int | None
    counted: bool  # the item has a counting rule (action types)

    @property
    def percent(self) -> int | None:
        if self.done is None or not self.target:
            return None
        return min(100, round(100 * self.done / self.target))


def _matches(item: PromiseItem, action: Action, areas: set[int]) -> bool:
    start, end = item.counting_period()
    return (
        action.type in item.rule_types
        and (not areas or action.area_id in areas)
        and action.start_date <= end
        and action.end_date >= start
    )


def matching_actions(items: Iterable[PromiseItem]) -> dict[int, list[Action]]:
    """Per item id, the partnership's actions its counting rule selects (one query)."""
    items = list(items)
    counted = [item for item in items if item.rule_types]
    found: dict[int, list[Action]] = {item.pk: [] for item in items}
    if not counted:
        return found
    periods = [item.counting_period() for item in counted]
    first = min(start for start, _end in periods)
    last = max(end for _start, end in periods)
    types = {kind for item in counted for kind in item.rule_types}
    partnership_id = counted[0].promise.partnership_id
    actions = list(
        Action.objects.filter(
            Q(partnership_id=partnership_id)
            & Q(type__in=types)
            & Q(start_date__lte=last)
            & Q(end_date__gte=first)
        )
        .select_related("area")
        .order_by("start_date", "id")
    )
    for item in counted:
        areas = {area.pk for area in item.rule_areas.all()}
        found[item.pk] = [action for action in actions if _matches(item, action, areas)]
    return found


def internal_progress(items: Iterable[PromiseItem]) -> dict[int, Progress]:
    """Per item, the plain sum of the done counts (for members of the partnership)."""
    items = list(items)
    matched = matching_actions(items)
    result = {}
    for item in items:
        done = sum(action.done_count for action in matched[item.pk])
        result[item.pk] = Progress(done, str(done), item.target, bool(item.rule_types))
    return result


def _published_total(
    actions: Iterable[Action], moment: dt.datetime, min_count: int
) -> tuple[int | None, str]:
    """The published sum of done counts: each occasion one record, through the aggregation."""
    records = [
        PublicRecord(
            area=action.area.name if action.area_id and action.area else None,
            occurred=moment,
            publishable=not action.not_for_publication,
        )
        for action in actions
        for _occasion in range(action.done_count)
    ]
    if not any(record.publishable for record in records):
        return 0, "0"
    rows = public_counts(records, period="year", min_count=min_count)
    total = rows[-1]  # the period's row for the whole kommun sorts last
    return total.count, total.display


def published_progress(
    promise: CitizenPromise, items: Iterable[PromiseItem]
) -> dict[int, Progress]:
    """Per item, the count as it may be published."""
    items = list(items)
    matched = matching_actions(items)
    moment = dt.datetime.combine(promise.starts_on, dt.time(12), STOCKHOLM)
    min_count = promise.partnership.min_public_count
    result = {}
    for item in items:
        if not item.rule_types:
            result[item.pk] = Progress(None, "", item.target, False)
            continue
        done, display = _published_total(matched[item.pk], moment, min_count)
        result[item.pk] = Progress(done, display, item.target, True)
    return result


def _window_counts(
    partnership: Any, area_ids: set[int] | None, first: dt.date, last: dt.date
) -> dict[str, str]:
    """Reports (EST observations) per delområde in a window, as they may be published."""
    from samtrygg.observations.models import Observation

    rows = Observation.objects.filter(
        partnership=partnership,
        merged_into__isnull=True,
        occurred_on__gte=first,
        occurred_on__lte=last,
    )
    if area_ids is not None:
        rows = rows.filter(area_id__in=area_ids)
    moment = dt.datetime.combine(first, dt.time(12), STOCKHOLM)
    records = [
        PublicRecord(area=name, occurred=moment)
        for name in rows.values_list("area__name", flat=True)
    ]
    counts = public_counts(records, period="year", min_count=partnership.min_public_count)
    return {row.area: row.display for row in counts}


def indicators(follow_up: FollowUp, items: list[PromiseItem]) -> dict[str, Any]:
    """Reports per delområde before the promise and during the follow-up period: an
    association to read beside the work done, not its effect."""
    from samtrygg.core.models import Area

    promise = follow_up.promise
    area_ids: set[int] = {area.pk for item in items for area in item.rule_areas.all()}
    length = min((follow_up.period_end - follow_up.period_start).days, MAX_INDICATOR_DAYS)
    before_last = promise.starts_on - dt.timedelta(days=1)
    before_first = before_last - dt.timedelta(days=length)
    scope = area_ids or None
    before = _window_counts(promise.partnership, scope, before_first, before_last)
    after = _window_counts(promise.partnership, scope, follow_up.period_start, follow_up.period_end)
    names = sorted(
        Area.objects.filter(
            partnership=promise.partnership, **({"pk__in": area_ids} if area_ids else {})
        ).values_list("name", flat=True)
    )
    whole = _("Hela kommunen")
    rows = [
        {"area": name, "before": before.get(name, "0"), "after": after.get(name, "0")}
        for name in names
    ]
    if not area_ids:
        rows.append(
            {"area": whole, "before": before.get(whole, "0"), "after": after.get(whole, "0")}
        )
    return {
        "before": {"from": before_first.isoformat(), "to": before_last.isoformat()},
        "after": {
            "from": follow_up.period_start.isoformat(),
            "to": follow_up.period_end.isoformat(),
        },
        "rows": rows,
    }


def follow_up_snapshot(follow_up: FollowUp) -> dict[str, Any]:
    """What an adopted follow-up publishes, frozen: per item its published count, the
    assessment and its text; the indicators before and after."""
    promise = follow_up.promise
    items = list(
        promise.items.select_related("focus_area", "organisation", "promise__partnership")
        .prefetch_related("rule_areas")
        .order_by("number")
    )
    entries = {entry.item_id: entry for entry in follow_up.entries.all()}
    counting = [within(item, follow_up.period_start, follow_up.period_end) for item in items]
    progress = published_progress(promise, counting)
    labels = dict(Assessment.choices)
    rows = []
    for item in counting:
        entry = entries.get(item.pk)
        shown = progress[item.pk]
        rows.append(
            {
                "number": item.number,
                "focus_area": item.focus_area.title if item.focus_area else "",
                "text": item.text,
                "responsible": item.responsible_label(),
                "target": item.target,
                "unit": item.unit,
                "counted": shown.counted,
                "done": shown.done,
                "done_display": shown.display,
                "assessment": entry.assessment if entry else "",
                "assessment_label": str(labels.get(entry.assessment, "")) if entry else "",
                "comment": entry.comment if entry else "",
            }
        )
    return {"items": rows, "indicators": indicators(follow_up, items)}


def within(item: PromiseItem, first: dt.date, last: dt.date) -> PromiseItem:
    """The item counted within the follow-up's period (inside its own counting period)."""
    start, end = item.counting_period()
    item.rule_from, item.rule_to = max(start, first), min(end, last)
    return item
